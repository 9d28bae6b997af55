import { Inject, Injectable } from '@nestjs/common';
import { Role, TokenService } from '@vouchers/auth';
import { AppConfig } from '@vouchers/config';
import { IssuedRefreshToken, Sessions } from '@vouchers/sessions';
import { EntityManager } from 'typeorm';
import { residentSummaryOf, SessionView } from '../dtos/session.view';
import { ResidentAccount } from '../resident-lookup';

export interface AccessGrant {
  accessToken: string;
  expiresInSeconds: number;
}

/**
 * Mints a resident's tokens. The access token states the resident's real-name verification
 * as the database has it now, so the grab can trust the token and read nothing else.
 */
@Injectable()
export class SessionIssuer {
  constructor(
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(Sessions) private readonly sessions: Sessions,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  accessFor(resident: ResidentAccount): AccessGrant {
    const accessToken = this.tokens.issueAccessToken({
      sub: resident.publicId,
      role: Role.Resident,
      ...(resident.verifiedAt !== null ? { verified: true } : {}),
    });
    return { accessToken, expiresInSeconds: this.config.accessTokenTtlSeconds };
  }

  /** A new session: access token plus a refresh token stored in the caller's transaction. */
  async start(manager: EntityManager, resident: ResidentAccount): Promise<SessionView> {
    return this.viewOf(resident, await this.sessions.start(manager, { kind: 'resident', id: resident.id }));
  }

  viewOf(resident: ResidentAccount, issued: IssuedRefreshToken): SessionView {
    return { ...this.accessFor(resident), refreshToken: issued.refreshToken, resident: residentSummaryOf(resident) };
  }
}
