import { JwtService } from '@nestjs/jwt';
import { AuthUser, payloadFromClaims, Role } from '@vouchers/auth';
import { newPublicId } from '@vouchers/common';

/**
 * Signs test tokens with this run's secret, as the sign-in flows would (so `verified: true`
 * becomes the `rv: 1` claim). Fields are otherwise signed as given, bad ones included.
 */
export function tokenFor(user: Partial<AuthUser> & { role: Role }, options: { secret?: string; expiresIn?: number } = {}): string {
  const jwt = new JwtService({});
  return jwt.sign(
    payloadFromClaims({ sub: newPublicId(), ...user }),
    { secret: options.secret ?? (process.env.JWT_SECRET as string), algorithm: 'HS256', expiresIn: options.expiresIn ?? 300 },
  );
}

/** A token with `alg: none`: header and payload, no signature. */
export function unsignedToken(payload: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ iat: now, exp: now + 300, ...payload })}.`;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
