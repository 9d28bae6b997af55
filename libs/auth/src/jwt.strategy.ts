import { Inject, Injectable } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
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
      // A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as a
      // public key on every verify (and fails), which cost a quarter of the grab's CPU.
      // (passport-jwt's types predate KeyObject; jsonwebtoken takes it as is.)
      secretOrKey: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')) as unknown as string,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  validate(payload: unknown): AuthUser | false {
    return claimsFromPayload(payload) ?? false;
  }
}
