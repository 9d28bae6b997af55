import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { AppConfig } from '@vouchers/config';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { claimsFromPayload } from './claims';
import { AuthUser } from './roles';

/** Verifies the bearer token's HS256 signature and expiry; `alg: none` and other algorithms are refused. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(AppConfig) config: AppConfig) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwtSecret,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  validate(payload: unknown): AuthUser | false {
    return claimsFromPayload(payload) ?? false;
  }
}
