import { Inject, Injectable } from '@nestjs/common';
import { AuthUser, Role, TokenService } from '@vouchers/auth';
import { AppConfig } from '@vouchers/config';
import { IssuedRefreshToken, Sessions } from '@vouchers/sessions';
import { EntityManager } from 'typeorm';
import { officialViewOf, OfficialRecord } from '../officials/dtos/official.view';
import { OfficialSessionView } from './dtos/official-session.view';

export type SessionOfficial = OfficialRecord & { id: string; tokenVersion: number };

/**
 * Mints an official's tokens: an access token with their role, district, token version and
 * session (every app reads it through libs/auth; OfficialStanding checks the version, and that
 * the session has not ended), and a refresh token of a session that ends
 * officialSessionTtlSeconds after sign-in.
 */
@Injectable()
export class OfficialSessionIssuer {
  constructor(
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(Sessions) private readonly sessions: Sessions,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async start(manager: EntityManager, official: SessionOfficial): Promise<OfficialSessionView> {
    return this.viewOf(official, await this.sessions.start(manager, { kind: 'official', id: official.id }));
  }

  viewOf(official: SessionOfficial, issued: IssuedRefreshToken): OfficialSessionView {
    const user: AuthUser = {
      sub: official.publicId,
      role: official.role as Role,
      ...(official.district === null ? {} : { district: official.district }),
      tokenVersion: official.tokenVersion,
      sessionId: issued.sessionId,
    };
    return {
      accessToken: this.tokens.issueAccessToken(user),
      expiresInSeconds: this.config.accessTokenTtlSeconds,
      refreshToken: issued.refreshToken,
      sessionExpiresAt: issued.expiresAt,
      official: officialViewOf(official),
    };
  }
}
