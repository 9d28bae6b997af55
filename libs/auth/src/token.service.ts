import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '@vouchers/config';
import { payloadFromClaims } from './claims';
import { AuthUser } from './roles';

/** Mints short-lived access tokens; the sign-in flows and the demo seed use it. */
@Injectable()
export class TokenService {
  constructor(
    @Inject(JwtService) private readonly jwt: JwtService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  issueAccessToken(user: AuthUser): string {
    return this.jwt.sign(
      payloadFromClaims(user),
      { secret: this.config.jwtSecret, algorithm: 'HS256', expiresIn: this.config.accessTokenTtlSeconds },
    );
  }
}
