import { JwtService } from '@nestjs/jwt';
import { createHmac, createSecretKey } from 'node:crypto';
import { verifyHs256 } from './hs256';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const key = createSecretKey(Buffer.from(SECRET));
const sign = (payload: object, options: object = {}) =>
  new JwtService({}).sign(payload, { secret: SECRET, algorithm: 'HS256', expiresIn: 60, ...options });
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('verifyHs256', () => {
  it('accepts a token signed by the token service, with its payload', () => {
    expect(verifyHs256(sign({ sub: 'x', role: 'resident' }), key)).toMatchObject({ sub: 'x', role: 'resident' });
  });

  it('refuses another key, an expired token, a token without exp, and a token not yet valid', () => {
    expect(verifyHs256(new JwtService({}).sign({ sub: 'x' }, { secret: `${SECRET}!`, expiresIn: 60 }), key)).toBeNull();
    expect(verifyHs256(sign({ sub: 'x' }, { expiresIn: -1 }), key)).toBeNull();
    expect(verifyHs256(new JwtService({}).sign({ sub: 'x' }, { secret: SECRET }), key)).toBeNull();
    expect(verifyHs256(sign({ sub: 'x', nbf: Math.floor(Date.now() / 1000) + 600 }), key)).toBeNull();
  });

  it('refuses alg none, HS512 and a tampered payload', () => {
    const exp = Math.floor(Date.now() / 1000) + 60;
    expect(verifyHs256(`${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', exp })}.`, key)).toBeNull();
    expect(verifyHs256(new JwtService({}).sign({ sub: 'x' }, { secret: SECRET, algorithm: 'HS512', expiresIn: 60 }), key)).toBeNull();
    const [header, , signature] = sign({ sub: 'x', role: 'resident' }).split('.');
    expect(verifyHs256(`${header}.${b64({ sub: 'x', role: 'commerce_official', exp })}.${signature}`, key)).toBeNull();
  });

  it('refuses a header that claims HS256 over a signature made with another header', () => {
    const exp = Math.floor(Date.now() / 1000) + 60;
    const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'x', exp })}`;
    const good = createHmac('sha256', SECRET).update(body).digest('base64url');
    expect(verifyHs256(`${body}.${good}`, key)).toMatchObject({ sub: 'x' });
    expect(verifyHs256(`${body}.${good.slice(0, -2)}`, key)).toBeNull();
    expect(verifyHs256(`${body}.${good}.extra`, key)).toBeNull();
  });
});
