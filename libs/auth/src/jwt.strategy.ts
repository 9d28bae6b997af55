import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import passport from 'passport';
import { BearerAuthenticator } from './bearer';

/** A passport strategy named 'jwt' that accepts what BearerAuthenticator accepts. */
class BearerHs256Strategy extends passport.Strategy {
  override name = 'jwt';

  constructor(private readonly bearer: BearerAuthenticator) {
    super();
  }

  override authenticate(request: Request): void {
    const user = this.bearer.userOf(request.headers.authorization);
    if (user) this.success(user);
    else this.fail(401);
  }
}

/** Registers the strategy with passport once the configuration (and so the secret) is known. */
@Injectable()
export class JwtStrategy {
  constructor(@Inject(BearerAuthenticator) bearer: BearerAuthenticator) {
    passport.use(new BearerHs256Strategy(bearer));
  }
}
