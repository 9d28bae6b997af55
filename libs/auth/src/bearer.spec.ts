import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '@vouchers/config';
import { BearerAuthenticator } from './bearer';
import { Role } from './roles';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const SUB = '0192f0a0-aaaa-7bbb-8ccc-123456789abc';
const bearer = new BearerAuthenticator({ jwtSecret: SECRET } as AppConfig);
const header = (payload: object, secret = SECRET) =>
  `Bearer ${new JwtService({}).sign(payload, { secret, algorithm: 'HS256', expiresIn: 60 })}`;

describe('BearerAuthenticator', () => {
  it('reads a valid token, and the same reading again from memory until the token expires', () => {
    const now = Math.floor(Date.now() / 1000);
    const token = header({ sub: SUB, role: Role.Resident, rv: 1 });
    const first = bearer.userOf(token, now);
    expect(first).toEqual({ sub: SUB, role: Role.Resident, verified: true });
    expect(bearer.userOf(token, now + 30)).toBe(first);
    expect(bearer.userOf(token, now + 61)).toBeNull();
    expect(() => bearer.require(token, [Role.CommerceOfficial])).toThrow('This action is not open to your role');
  });

  it('refuses a token of another key, a tampered payload, a malformed header', () => {
    const forged = header({ sub: SUB, role: Role.Resident, rv: 1 }, `${SECRET}!`);
    expect(bearer.userOf(forged)).toBeNull();
    expect(bearer.userOf(forged)).toBeNull();
    const [head, , signature] = header({ sub: SUB, role: Role.Resident }).slice(7).split('.');
    const payload = Buffer.from(JSON.stringify({ sub: SUB, role: Role.CommerceOfficial, exp: 4e9 })).toString('base64url');
    expect(bearer.userOf(`Bearer ${head}.${payload}.${signature}`)).toBeNull();
    expect(bearer.userOf(`Basic ${head}`)).toBeNull();
    expect(bearer.userOf(undefined)).toBeNull();
  });
});
