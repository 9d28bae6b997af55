import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import type { Request } from 'express';
import { createSecretKey, KeyObject } from 'node:crypto';
import passport from 'passport';
import { claimsFromPayload } from './claims';
import { verifyHs256 } from './hs256';

const BEARER = /^Bearer ([A-Za-z0-9_.-]+)$/;

/**
 * A passport strategy named 'jwt': the bearer token's HS256 signature and expiry are checked
 * with node's crypto (verifyHs256), then its claims must fit its role (claimsFromPayload).
 * No database is read: the grab path depends on that.
 */
class BearerHs256Strategy extends passport.Strategy {
  override name = 'jwt';

  constructor(private readonly key: KeyObject) {
    super();
  }

  override authenticate(request: Request): void {
    const match = BEARER.exec(request.headers.authorization ?? '');
    const payload = match ? verifyHs256(match[1], this.key) : null;
    const user = payload ? claimsFromPayload(payload) : null;
    if (user) this.success(user);
    else this.fail(401);
  }
}

/** Registers the strategy with passport once the configuration (and so the secret) is known. */
@Injectable()
export class JwtStrategy {
  constructor(@Inject(AppConfig) config: AppConfig) {
    passport.use(new BearerHs256Strategy(createSecretKey(Buffer.from(config.jwtSecret, 'utf8'))));
  }
}
