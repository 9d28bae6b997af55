import { Inject, Injectable } from '@nestjs/common';
import { AppError, CommonErrorCode } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { createSecretKey, KeyObject } from 'node:crypto';
import { claimsFromPayload } from './claims';
import { verifyHs256 } from './hs256';
import { AuthUser, Role } from './roles';

const BEARER = /^Bearer ([A-Za-z0-9_.-]+)$/;

export const unauthenticated = (): AppError =>
  new AppError(CommonErrorCode.Unauthenticated, 'A valid access token is required');
export const roleNotAllowed = (): AppError => new AppError(CommonErrorCode.Forbidden, 'This action is not open to your role');

/** Tokens remembered at once; past this the memory is emptied and starts again. */
const VERIFIED_MAX = 100_000;

interface Verified {
  user: AuthUser;
  /** The token's exp, in seconds. */
  exp: number;
}

/**
 * Reads the caller from an Authorization header: an HS256 access token whose signature and
 * expiry hold (verifyHs256) and whose claims fit its role (claimsFromPayload). No database.
 * The passport strategy behind @Auth uses it, and so does a route served outside Nest's
 * router (the grab), which gets the same answers as the guards give.
 *
 * A token that passed is remembered with its reading until it expires: when a round opens a
 * resident presses again and again with the same token, and the signature check and two
 * JSON parses were a tenth of the grab's CPU. The reading is a function of the token's text,
 * so remembering it changes no answer; expiry is checked on every use.
 */
@Injectable()
export class BearerAuthenticator {
  private readonly key: KeyObject;
  private readonly verified = new Map<string, Verified>();

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  }

  userOf(authorization: string | undefined, nowSeconds = Math.floor(Date.now() / 1000)): AuthUser | null {
    const match = BEARER.exec(authorization ?? '');
    if (!match) return null;
    const token = match[1];
    const known = this.verified.get(token);
    if (known) return known.exp > nowSeconds ? known.user : null;
    const payload = verifyHs256(token, this.key, nowSeconds);
    const user = payload && claimsFromPayload(payload);
    if (!payload || !user) return null;
    if (this.verified.size >= VERIFIED_MAX) this.verified.clear();
    this.verified.set(token, { user: Object.freeze(user), exp: payload.exp as number });
    return user;
  }

  /** The caller if the header carries a valid token of one of the roles; throws 401 or 403 otherwise. */
  require(authorization: string | undefined, roles: readonly Role[]): AuthUser {
    const user = this.userOf(authorization);
    if (!user) throw unauthenticated();
    if (!roles.includes(user.role)) throw roleNotAllowed();
    return user;
  }
}
