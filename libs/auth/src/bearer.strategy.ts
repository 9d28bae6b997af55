import { Inject, Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import passport from 'passport';
import { BearerAuthenticator } from './bearer';

/** The name JwtAuthGuard asks passport for. */
export const BEARER_STRATEGY = 'bearer';

/**
 * The one passport strategy of the apps, behind every @Auth route (JwtAuthGuard): the caller is
 * whoever BearerAuthenticator reads from the Authorization header, as on the raw routes. Nest
 * builds it once the configuration (and so the secret) is known, and it registers itself then.
 * It reads only the headers, which Fastify's request has as node's does.
 */
@Injectable()
export class BearerStrategy extends passport.Strategy {
  override name = BEARER_STRATEGY;

  constructor(@Inject(BearerAuthenticator) private readonly bearer: BearerAuthenticator) {
    super();
    passport.use(BEARER_STRATEGY, this);
  }

  override authenticate(request: { headers: IncomingHttpHeaders }): void {
    const user = this.bearer.userOf(request.headers.authorization);
    if (user) this.success(user);
    else this.fail(401);
  }
}
