import { Inject, Injectable } from '@nestjs/common';
import { AppError, CommonErrorCode } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { createSecretKey, KeyObject } from 'node:crypto';
import { claimsFromPayload } from './claims';
import { verifyHs256 } from './hs256';
import { AuthUser, Role } from './roles';

const BEARER = /^Bearer ([A-Za-z0-9_.-]+)$/;

export const unauthenticated = (): AppError =>
  new AppError(CommonErrorCode.Unauthenticated, 'A valid access token is required', 401);
export const roleNotAllowed = (): AppError => new AppError(CommonErrorCode.Forbidden, 'This action is not open to your role', 403);

/**
 * Reads the caller from an Authorization header: an HS256 access token whose signature and
 * expiry hold (verifyHs256) and whose claims fit its role (claimsFromPayload). No database.
 * The passport strategy behind @Auth uses it, and so does a route served outside Nest's
 * router (the grab), which gets the same answers as the guards give.
 */
@Injectable()
export class BearerAuthenticator {
  private readonly key: KeyObject;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  }

  userOf(authorization: string | undefined): AuthUser | null {
    const match = BEARER.exec(authorization ?? '');
    const payload = match ? verifyHs256(match[1], this.key) : null;
    return payload ? claimsFromPayload(payload) : null;
  }

  /** The caller if the header carries a valid token of one of the roles; throws 401 or 403 otherwise. */
  require(authorization: string | undefined, roles: readonly Role[]): AuthUser {
    const user = this.userOf(authorization);
    if (!user) throw unauthenticated();
    if (!roles.includes(user.role)) throw roleNotAllowed();
    return user;
  }
}
