import { Inject, Injectable } from '@nestjs/common';
import { RefreshTokens } from './refresh-tokens';

/**
 * Ends the session of a refresh token. The access token lives on until it expires (minutes);
 * it is never checked against the database, by design of the grab path.
 */
@Injectable()
export class Logout {
  constructor(@Inject(RefreshTokens) private readonly refreshTokens: RefreshTokens) {}

  async execute(refreshToken: string): Promise<void> {
    await this.refreshTokens.revoke(refreshToken);
  }
}
