import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { newPublicId } from '@vouchers/common';
import { OneTimeCodes, otpKeysFor } from '@vouchers/otp';
import { connectRedis, Redis } from '@vouchers/redis';
import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { idNumberCheckChar } from '../apps/issuance/src/residents/id-number';
import { LOCK_ACCOUNT_SESSIONS } from '../libs/sessions/src/sessions.sql';
import { bootApp, testConfig } from './support/apps';
import { oneTimeCodesOf } from './support/one-time-codes';
import { openTestDatabase, waitUntilBlockedBy } from './support/database';
import { bearer, tokenFor } from './support/tokens';
import { deleteKeys, keysMatching } from './support/redis-keys';
import { maskedPhone as masked, newIdNumber, randomResidentPhone as randomPhone, ResidentSession as Session } from './support/resident-sessions';
import { REAL_NAME_CONSENT, SIGN_IN_CONSENT } from './support/consents';

const otpKeys = otpKeysFor('resident');

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

// The per-address limits of one-time codes count residents' and merchants' codes together, and
// this file fills them to the brim from the one address every test request comes from: its
// keys live under a prefix of its own, so the merchant test files sending codes meanwhile
// neither lift this file's counts nor run into them.
process.env.REDIS_KEY_PREFIX = `${process.env.REDIS_KEY_PREFIX}residents-${randomInt(0, 1_000_000_000).toString(36)}:`;

describe('residents: sign-in, sessions and real-name verification', () => {
  let app: NestFastifyApplication;
  let db: DataSource;
  /** Prefixed like the app's own client, to look at and age its keys. */
  let redis: Redis;
  /** Unprefixed, to find keys by pattern. */
  let raw: Redis;
  const prefix = process.env.REDIS_KEY_PREFIX as string;
  const api = () => request(app.getHttpServer());

  const sendOtp = (phone: string) => api().post('/v1/auth/otp').send({ phone, ...SIGN_IN_CONSENT });
  const verifyOtp = (phone: string, code: string) => api().post('/v1/auth/otp/verify').send({ phone, code, ...SIGN_IN_CONSENT });
  const refresh = (refreshToken: string) => api().post('/v1/auth/refresh').send({ refreshToken });
  const me = (token: string) => api().get('/v1/residents/me').set(bearer(token));
  const verifyRealName = (token: string, body: Record<string, unknown>) =>
    api().post('/v1/residents/me/real-name').set(bearer(token)).send({ ...REAL_NAME_CONSENT, ...body });

  async function signIn(phone = randomPhone()): Promise<Session> {
    const sent = await sendOtp(phone).expect(202);
    const session = await verifyOtp(phone, sent.body.devCode).expect(200);
    return session.body as Session;
  }

  async function addressKeys(): Promise<string[]> {
    return keysMatching(raw, `${prefix}rl:otp*:ip:{*`);
  }

  beforeAll(async () => {
    app = await bootApp('issuance');
    db = await openTestDatabase();
    redis = connectRedis(process.env.REDIS_URL as string, { keyPrefix: prefix });
    raw = connectRedis(process.env.REDIS_URL as string);
  });

  afterAll(async () => {
    redis.disconnect();
    raw.disconnect();
    await db.destroy();
    await app.close();
  });

  // Every request here comes from one address; give each test that address's full allowance.
  beforeEach(async () => {
    const keys = await addressKeys();
    await deleteKeys(raw, keys);
  });

  describe('one-time codes', () => {
    it('signs a new resident in with the code, and the same resident again under another spelling of the number', async () => {
      const phone = randomPhone();
      const sent = await sendOtp(`+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`).expect(202);
      expect(sent.body).toEqual({ sentTo: masked(phone), expiresInSeconds: 300, devCode: expect.stringMatching(/^\d{6}$/) });

      const first = await verifyOtp(phone, sent.body.devCode).expect(200);
      expect(first.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        expiresInSeconds: 900,
        resident: { id: expect.any(String), phone: masked(phone), verified: false },
      });
      expect(claimsOf(first.body.accessToken)).toMatchObject({ sub: first.body.resident.id, role: 'resident' });
      expect(claimsOf(first.body.accessToken).rv).toBeUndefined();
      await me(first.body.accessToken).expect(200);

      await redis.del(otpKeys.cooldown(phone));
      const again = await signIn(`0086${phone}`);
      expect(again.resident.id).toBe(first.body.resident.id);
      const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM residents WHERE phone = $1`, [phone]);
      expect(count).toBe(1);
    });

    it('keeps only a keyed hash of the code in Redis, under a hash-tagged key that expires', async () => {
      const phone = randomPhone();
      const sent = await sendOtp(phone).expect(202);
      const stored = await redis.hgetall(`otp:resident:{${phone}}`);
      expect(stored).toEqual({ h: expect.stringMatching(/^[0-9a-f]{64}$/), t: '0' });
      expect(JSON.stringify(stored)).not.toContain(sent.body.devCode);
      expect(await redis.pttl(`otp:resident:{${phone}}`)).toBeGreaterThan(295_000);
    });

    it('answers 400 INVALID_PHONE for what is not a mainland mobile number, and VALIDATION_FAILED for no number', async () => {
      for (const phone of ['12345', '+1 415 555 0100', '12800000001', '1380000000x']) {
        const response = await sendOtp(phone).expect(400);
        expect(response.body.code).toBe('INVALID_PHONE');
      }
      expect((await verifyOtp('555', '123456').expect(400)).body.code).toBe('INVALID_PHONE');
      expect((await api().post('/v1/auth/otp').send({}).expect(400)).body.code).toBe('VALIDATION_FAILED');
      expect((await verifyOtp(randomPhone(), '12345').expect(400)).body.code).toBe('VALIDATION_FAILED');
    });

    it('refuses 5 wrong codes with OTP_INVALID, then burns the code: the 6th try fails even with the right code', async () => {
      const phone = randomPhone();
      const sent = await sendOtp(phone).expect(202);
      const wrong = sent.body.devCode === '000000' ? '000001' : '000000';
      for (let attempt = 1; attempt <= 5; attempt++) {
        const response = await verifyOtp(phone, wrong).expect(401);
        expect(response.body).toMatchObject({ code: 'OTP_INVALID', details: { triesLeft: 5 - attempt } });
      }
      expect((await verifyOtp(phone, sent.body.devCode).expect(429)).body.code).toBe('OTP_TOO_MANY_TRIES');
      expect((await verifyOtp(phone, sent.body.devCode).expect(429)).body.code).toBe('OTP_TOO_MANY_TRIES');
      const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM residents WHERE phone = $1`, [phone]);
      expect(count).toBe(0);
    });

    it('counts concurrent wrong tries exactly: 12 at once give 5 OTP_INVALID and 7 OTP_TOO_MANY_TRIES', async () => {
      const phone = randomPhone();
      const sent = await sendOtp(phone).expect(202);
      const wrong = sent.body.devCode === '000000' ? '000001' : '000000';
      const answers = await Promise.all(Array.from({ length: 12 }, () => verifyOtp(phone, wrong)));
      const codes = answers.map((answer) => answer.body.code).sort();
      expect(codes).toEqual([...Array(5).fill('OTP_INVALID'), ...Array(7).fill('OTP_TOO_MANY_TRIES')].sort());
    });

    it('answers 401 OTP_EXPIRED for a code never sent, already used, or expired', async () => {
      expect((await verifyOtp(randomPhone(), '123456').expect(401)).body.code).toBe('OTP_EXPIRED');

      const used = randomPhone();
      const sent = await sendOtp(used).expect(202);
      await verifyOtp(used, sent.body.devCode).expect(200);
      expect((await verifyOtp(used, sent.body.devCode).expect(401)).body.code).toBe('OTP_EXPIRED');

      const aged = randomPhone();
      const agedSent = await sendOtp(aged).expect(202);
      await redis.pexpire(`otp:resident:{${aged}}`, 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect((await verifyOtp(aged, agedSent.body.devCode).expect(401)).body.code).toBe('OTP_EXPIRED');
    });

    it('refuses a second code within the minute with 429 OTP_COOLDOWN and when to come back', async () => {
      const phone = randomPhone();
      await sendOtp(phone).expect(202);
      const again = await sendOtp(phone).expect(429);
      expect(again.body.code).toBe('OTP_COOLDOWN');
      expect(again.body.details.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(again.body.details.retryAfterSeconds).toBeLessThanOrEqual(60);
      // Another number is not held up by this one's cool-down.
      await sendOtp(randomPhone()).expect(202);
    });

    it('sends at most 10 codes an hour to one number (429 OTP_PHONE_LIMIT)', async () => {
      const phone = randomPhone();
      for (let sent = 1; sent <= 10; sent++) {
        await sendOtp(phone).expect(202);
        // Lifting the cool-down stands in for the minutes that pass between real requests.
        await redis.del(otpKeys.cooldown(phone));
      }
      const refused = await sendOtp(phone).expect(429);
      expect(refused.body.code).toBe('OTP_PHONE_LIMIT');
      expect(refused.body.details.retryAfterSeconds).toBeGreaterThan(60);
    });

    it('sends at most 30 codes an hour from one address (429 OTP_ADDRESS_LIMIT), whatever the numbers', async () => {
      await sendOtp(randomPhone()).expect(202);
      const keys = (await addressKeys()).filter((key) => key.includes('rl:otp:ip:'));
      expect(keys).toHaveLength(1);
      // 29 more requests from this address, as if made by a script working through a list.
      await raw.set(keys[0], '30', 'KEEPTTL');
      const refused = await sendOtp(randomPhone()).expect(429);
      expect(refused.body.code).toBe('OTP_ADDRESS_LIMIT');
    });

    it("counts a client behind a trusted balancer by the address its X-Forwarded-For names, and only then", async () => {
      const client = '203.0.113.77';
      const clientKey = `${prefix}rl:otp:ip:{${client}}`;
      await sendOtp(randomPhone()).set('x-forwarded-for', client).expect(202);
      expect(await raw.exists(clientKey)).toBe(0); // nobody is trusted by default: the header is anyone's to write
      const behind = await bootApp('issuance', { TRUST_PROXY: '127.0.0.1, ::1' });
      try {
        await request(behind.getHttpServer()).post('/v1/auth/otp').set('x-forwarded-for', client).send({ phone: randomPhone(), ...SIGN_IN_CONSENT }).expect(202);
        expect(await raw.get(clientKey)).toBe('1');
      } finally {
        await behind.close();
        await raw.del(clientKey);
      }
    });

    it('echoes the code only when devOtpEcho is on', async () => {
      const quiet = await bootApp('issuance', { DEV_OTP_ECHO: 'false' });
      try {
        const phone = randomPhone();
        const response = await request(quiet.getHttpServer()).post('/v1/auth/otp').send({ phone, ...SIGN_IN_CONSENT }).expect(202);
        expect(response.body).toEqual({ sentTo: masked(phone), expiresInSeconds: 300 });
      } finally {
        await quiet.close();
      }
    });

    it('checks at most 100 codes an hour from one address (429 OTP_ADDRESS_LIMIT), whatever the numbers; other addresses go on', async () => {
      // A code sent (from this address) before the spree, to try once the address is shut out.
      const target = randomPhone();
      const sent = await sendOtp(target).expect(202);
      // 100 checks from this address, each at a number of its own, so no code's 5 tries run out.
      for (let check = 1; check <= 100; check++) {
        const response = await verifyOtp(randomPhone(), '123456');
        expect({ check, status: response.status, code: response.body.code }).toEqual({ check, status: 401, code: 'OTP_EXPIRED' });
      }
      const keys = (await addressKeys()).filter((key) => key.includes('rl:otp-verify:ip:'));
      expect(keys).toHaveLength(1);
      expect(await raw.get(keys[0])).toBe('100');

      // The 101st is refused before the code is looked at, even the right code at a fresh number.
      const refused = await verifyOtp(target, sent.body.devCode).expect(429);
      expect(refused.body).toMatchObject({ code: 'OTP_ADDRESS_LIMIT', details: { retryAfterSeconds: expect.any(Number) } });
      expect(refused.body.details.retryAfterSeconds).toBeGreaterThan(3500);
      expect(refused.body.details.retryAfterSeconds).toBeLessThanOrEqual(3600);
      expect(await redis.hget(otpKeys.code(target), 't')).toBe('0');
      expect((await verifyOtp(target, sent.body.devCode).expect(429)).body.code).toBe('OTP_ADDRESS_LIMIT');

      // Another address is not held up: it checks the same, untouched code.
      const codes = oneTimeCodesOf(app, 'resident');
      await expect(codes.verify({ phone: target, code: sent.body.devCode, address: '198.51.100.23' })).resolves.toBe(target);
      await expect(codes.verify({ phone: randomPhone(), code: '123456', address: '198.51.100.24' })).rejects.toMatchObject({
        code: 'OTP_EXPIRED',
        status: 401,
      });
      // The service, given the HTTP client's own address, is shut out as well.
      const address = keys[0].slice(keys[0].indexOf('{') + 1, -1);
      await expect(codes.verify({ phone: randomPhone(), code: '123456', address })).rejects.toMatchObject({
        code: 'OTP_ADDRESS_LIMIT',
        status: 429,
      });
    });

    it("counts an address's sends and checks once across audiences; a number's limits stay each audience's", async () => {
      const merchantApp = await bootApp('merchant');
      try {
        const residents = oneTimeCodesOf(app, 'resident');
        const merchants = merchantApp.get(OneTimeCodes);
        const refused = { code: 'OTP_ADDRESS_LIMIT', status: 429 };
        // 30 codes an hour from one address in all: 15 residents' and 15 merchants' use them up for both.
        const sender = '198.51.100.31';
        for (let i = 0; i < 15; i++) {
          await residents.send({ phone: randomPhone(), address: sender });
          await merchants.send({ phone: randomPhone(), address: sender });
        }
        await expect(merchants.send({ phone: randomPhone(), address: sender })).rejects.toMatchObject(refused);
        await expect(residents.send({ phone: randomPhone(), address: sender })).rejects.toMatchObject(refused);
        // 100 checks an hour from one address in all, the same way.
        const checker = '198.51.100.32';
        for (let i = 0; i < 50; i++) {
          await expect(residents.verify({ phone: randomPhone(), code: '123456', address: checker })).rejects.toMatchObject({ code: 'OTP_EXPIRED' });
          await expect(merchants.verify({ phone: randomPhone(), code: '123456', address: checker })).rejects.toMatchObject({ code: 'OTP_EXPIRED' });
        }
        await expect(merchants.verify({ phone: randomPhone(), code: '123456', address: checker })).rejects.toMatchObject(refused);
        await expect(residents.verify({ phone: randomPhone(), code: '123456', address: checker })).rejects.toMatchObject(refused);

        // A number's 10 codes an hour are each audience's: its resident codes used up, its merchant codes still come.
        const phone = randomPhone();
        const address = '198.51.100.33';
        for (let i = 0; i < 10; i++) {
          await residents.send({ phone, address });
          await redis.del(otpKeys.cooldown(phone));
        }
        await expect(residents.send({ phone, address })).rejects.toMatchObject({ code: 'OTP_PHONE_LIMIT', status: 429 });
        await expect(merchants.send({ phone, address })).resolves.toMatchObject({ sentTo: masked(phone) });
      } finally {
        await merchantApp.close();
      }
    });

    it('never echoes a code in production, and does not start there with the built-in log-only sender', async () => {
      const secrets = {
        JWT_SECRET: process.env.JWT_SECRET,
        ID_NUMBER_HASH_KEY: 'k'.repeat(40),
        BANK_ACCOUNT_KEY: 'b'.repeat(40),
        VOUCHER_CODE_KEY: 'v'.repeat(40),
      };
      // The configuration itself refuses to echo codes in production.
      expect(() => testConfig({ NODE_ENV: 'production', ...secrets, DEV_OTP_ECHO: 'true' })).toThrow(
        /DEV_OTP_ECHO \(devOtpEcho\): one-time codes may never be echoed in production/,
      );
      // A failed send in production (503, the send given back) is in sms-aliyun.e2e-spec.ts, against a stand-in gateway.
      await expect(bootApp('issuance', { NODE_ENV: 'production', ...secrets })).rejects.toThrow(/SMS_PROVIDER \(smsProvider\)/);
    });
  });

  describe('refresh tokens', () => {
    const liveTokens = async (residentId: string) =>
      (
        await db.query(
          `SELECT count(*)::int AS count FROM refresh_tokens t JOIN residents r ON r.id = t.account_id
            WHERE t.account_kind = 'resident' AND r.public_id = $1 AND t.revoked_at IS NULL`,
          [residentId],
        )
      )[0].count as number;

    it('stores only a SHA-256 of the token', async () => {
      const session = await signIn();
      const rows = await db.query(`SELECT * FROM refresh_tokens WHERE token_hash = $1`, [sha256(session.refreshToken)]);
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(session.refreshToken);
      expect(new Date(rows[0].expires_at).getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
    });

    it('rotates: each refresh gives a new pair and retires the token it used', async () => {
      const first = await signIn();
      const second = (await refresh(first.refreshToken).expect(200)).body as Session;
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(second.resident).toEqual(first.resident);
      expect(claimsOf(second.accessToken).sub).toBe(first.resident.id);
      await me(second.accessToken).expect(200);
      const third = (await refresh(second.refreshToken).expect(200)).body as Session;
      expect(await liveTokens(first.resident.id)).toBe(1);
      await refresh(third.refreshToken).expect(200);
    });

    it('treats reuse of a retired token as theft: 401 REFRESH_TOKEN_REVOKED and every session of the resident ends', async () => {
      const phone = randomPhone();
      const phoneSession = await signIn(phone);
      await redis.del(otpKeys.cooldown(phone));
      const tabletSession = await signIn(phone);
      const rotated = (await refresh(phoneSession.refreshToken).expect(200)).body as Session;
      expect(await liveTokens(phoneSession.resident.id)).toBe(2);

      const replay = await refresh(phoneSession.refreshToken).expect(401);
      expect(replay.body.code).toBe('REFRESH_TOKEN_REVOKED');
      expect(await liveTokens(phoneSession.resident.id)).toBe(0);
      expect((await refresh(rotated.refreshToken).expect(401)).body.code).toBe('REFRESH_TOKEN_REVOKED');
      expect((await refresh(tabletSession.refreshToken).expect(401)).body.code).toBe('REFRESH_TOKEN_REVOKED');
    });

    it('ends nothing more for a token of a session already over: an old device\'s token cannot sign its owner out elsewhere', async () => {
      const phone = randomPhone();
      const oldPhone = await signIn(phone);
      await redis.del(otpKeys.cooldown(phone));
      const newPhone = await signIn(phone);
      // The old phone refreshed once, then signed out: both of its tokens are spent.
      const rotated = (await refresh(oldPhone.refreshToken).expect(200)).body as Session;
      await api().post('/v1/auth/logout').send({ refreshToken: rotated.refreshToken }).expect(204);
      for (const token of [oldPhone.refreshToken, rotated.refreshToken]) {
        const replay = await refresh(token).expect(401);
        expect([replay.body.code, replay.body.message]).toEqual(['REFRESH_TOKEN_REVOKED', 'This session was ended (signed out, or it ran out); sign in again']);
      }
      expect(await liveTokens(newPhone.resident.id)).toBe(1);
      await refresh(newPhone.refreshToken).expect(200);
    });

    it('ends the token a refresh in flight issues, when the owner signs out or a spent token comes back meanwhile', async () => {
      for (const ending of ['logout', 'reuse'] as const) {
        const first = await signIn();
        // A spent token of the session, for the reuse: the chain goes on with `current`.
        const current = (await refresh(first.refreshToken).expect(200)).body as Session;
        const [{ account_id: accountId, session_id: sessionId }] = await db.query(
          'SELECT account_id, session_id FROM refresh_tokens WHERE token_hash = $1',
          [sha256(current.refreshToken)],
        );
        // A refresh of `current` part-way, as the app runs one: the account's sessions lock, the
        // token consumed, the next one inserted, not yet committed.
        const inFlight = new Client({ connectionString: process.env.DATABASE_URL });
        await inFlight.connect();
        const next = randomBytes(32).toString('base64url');
        try {
          await inFlight.query('BEGIN');
          await inFlight.query(LOCK_ACCOUNT_SESSIONS, ['resident', String(accountId)]);
          await inFlight.query('UPDATE refresh_tokens SET revoked_at = now() WHERE token_hash = $1', [sha256(current.refreshToken)]);
          await inFlight.query(
            `INSERT INTO refresh_tokens (public_id, account_kind, account_id, session_id, token_hash, expires_at)
             VALUES ($1, 'resident', $2, $3, $4, now() + interval '1 hour')`,
            [newPublicId(), accountId, sessionId, sha256(next)],
          );
          const ended =
            ending === 'logout'
              ? api().post('/v1/auth/logout').send({ refreshToken: current.refreshToken }).then((answer) => answer.status)
              : refresh(first.refreshToken).then((answer) => answer.body.code);
          await waitUntilBlockedBy(db, inFlight);
          await inFlight.query('COMMIT');
          expect(await ended).toBe(ending === 'logout' ? 204 : 'REFRESH_TOKEN_REVOKED');
        } finally {
          await inFlight.end();
        }
        expect(`${ending}: ${await liveTokens(first.resident.id)}`).toBe(`${ending}: 0`);
        expect((await refresh(next).expect(401)).body.code).toBe('REFRESH_TOKEN_REVOKED');
      }
    });

    it('takes the account\'s sessions lock for a refresh: one waits while another change of its sessions is under way', async () => {
      const session = await signIn();
      const [{ account_id: accountId }] = await db.query('SELECT account_id FROM refresh_tokens WHERE token_hash = $1', [sha256(session.refreshToken)]);
      const holder = new Client({ connectionString: process.env.DATABASE_URL });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query(LOCK_ACCOUNT_SESSIONS, ['resident', String(accountId)]);
        const refreshed = refresh(session.refreshToken).then((answer) => answer.status);
        await waitUntilBlockedBy(db, holder);
        await holder.query('COMMIT');
        expect(await refreshed).toBe(200);
      } finally {
        await holder.end();
      }
    });

    it('refuses unknown, expired and malformed tokens', async () => {
      const unknown = Buffer.alloc(32, 7).toString('base64url');
      expect((await refresh(unknown).expect(401)).body.code).toBe('REFRESH_TOKEN_INVALID');

      const session = await signIn();
      await db.query(`UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [
        sha256(session.refreshToken),
      ]);
      expect((await refresh(session.refreshToken).expect(401)).body.code).toBe('REFRESH_TOKEN_EXPIRED');

      for (const bad of ['short', 'x'.repeat(44), `${'a'.repeat(42)}!`, 42]) {
        expect((await refresh(bad as string).expect(400)).body.code).toBe('VALIDATION_FAILED');
      }
    });

    it('logs out with 204, after which the token is dead; logging out again is fine', async () => {
      const session = await signIn();
      await api().post('/v1/auth/logout').send({ refreshToken: session.refreshToken }).expect(204);
      expect(await liveTokens(session.resident.id)).toBe(0);
      expect((await refresh(session.refreshToken).expect(401)).body.code).toBe('REFRESH_TOKEN_REVOKED');
      await api().post('/v1/auth/logout').send({ refreshToken: session.refreshToken }).expect(204);
      await api().post('/v1/auth/logout').send({ refreshToken: Buffer.alloc(32, 9).toString('base64url') }).expect(204);
      expect((await api().post('/v1/auth/logout').send({}).expect(400)).body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('real-name verification', () => {
    it('stores only the keyed hash and the mask, and answers with a token that says verified', async () => {
      const session = await signIn();
      const idNumber = newIdNumber({ endingInX: true });
      const response = await verifyRealName(session.accessToken, { name: ' 张三 ', idNumber: idNumber.toLowerCase() }).expect(200);
      const idNumberMasked = `${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`;
      const profile = { id: session.resident.id, phone: session.resident.phone, verified: true, realName: '张*', idNumberMasked };
      expect(response.body).toEqual({ accessToken: expect.any(String), expiresInSeconds: 900, reopened: false, resident: profile });
      expect(claimsOf(response.body.accessToken)).toMatchObject({ sub: session.resident.id, role: 'resident', rv: 1 });
      expect((await me(response.body.accessToken).expect(200)).body).toEqual(profile);

      const [row] = await db.query(`SELECT * FROM residents WHERE public_id = $1`, [session.resident.id]);
      const key = testConfig().idNumberHashKey;
      expect(row).toMatchObject({
        real_name: '张三',
        id_number_hash: createHmac('sha256', key).update(idNumber).digest('hex'),
        id_number_masked: idNumberMasked,
        verified_at: expect.any(Date),
      });
      const stored = JSON.stringify(row);
      for (const secret of [idNumber, idNumber.toLowerCase(), idNumber.slice(0, 17), idNumber.slice(6, 14)]) {
        expect(stored).not.toContain(secret);
      }

      // A refresh, and a later sign-in, read the verification back from the database.
      const refreshed = (await refresh(session.refreshToken).expect(200)).body as Session;
      expect(refreshed.resident.verified).toBe(true);
      expect(claimsOf(refreshed.accessToken).rv).toBe(1);
    });

    it('is idempotent with the same number and refuses another number with 409 ALREADY_VERIFIED', async () => {
      const session = await signIn();
      const idNumber = newIdNumber();
      await verifyRealName(session.accessToken, { name: '李四', idNumber }).expect(200);
      const again = await verifyRealName(session.accessToken, { name: '李四', idNumber }).expect(200);
      expect(again.body.resident.verified).toBe(true);
      expect(claimsOf(again.body.accessToken).rv).toBe(1);
      const other = await verifyRealName(session.accessToken, { name: '李四', idNumber: newIdNumber() }).expect(409);
      expect(other.body.code).toBe('ALREADY_VERIFIED');
      const [row] = await db.query(`SELECT id_number_masked FROM residents WHERE public_id = $1`, [session.resident.id]);
      expect(row.id_number_masked).toBe(`${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`);
    });

    it('allows one account per person: 409 ID_NUMBER_TAKEN for the second, however the X is typed', async () => {
      const first = await signIn();
      const second = await signIn();
      const idNumber = newIdNumber({ endingInX: true });
      await verifyRealName(first.accessToken, { name: '王五', idNumber }).expect(200);
      for (const spelling of [idNumber, idNumber.toLowerCase()]) {
        const taken = await verifyRealName(second.accessToken, { name: '王五', idNumber: spelling }).expect(409);
        expect(taken.body.code).toBe('ID_NUMBER_TAKEN');
      }
      expect((await me(second.accessToken).expect(200)).body).toMatchObject({ verified: false, realName: null, idNumberMasked: null });
    });

    it('refuses each kind of bad ID number with its own code', async () => {
      const session = await signIn();
      const valid = newIdNumber();
      const withCheck = (first17: string) => `${first17}${idNumberCheckChar(first17)}`;
      const wrongCheck = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
      const cases: Array<[string, string]> = [
        [valid.slice(0, 6) + valid.slice(8, 17), 'ID_NUMBER_LEGACY_15'],
        [valid.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))), 'ID_NUMBER_FULL_WIDTH'],
        [`${valid.slice(0, 6)} ${valid.slice(6)}`, 'ID_NUMBER_WHITESPACE'],
        [` ${valid}`, 'ID_NUMBER_WHITESPACE'],
        [wrongCheck, 'ID_NUMBER_CHECKSUM'],
        [withCheck('33020320230229123'), 'ID_NUMBER_BIRTH_DATE'],
        [withCheck('33020318991231123'), 'ID_NUMBER_BIRTH_DATE'],
        [withCheck('33020330000101123'), 'ID_NUMBER_BIRTH_DATE'],
        [withCheck('99020319900101123'), 'ID_NUMBER_REGION'],
        [valid.slice(0, 17), 'ID_NUMBER_FORMAT'],
        ['not-a-number', 'ID_NUMBER_FORMAT'],
      ];
      for (const [idNumber, code] of cases) {
        const response = await verifyRealName(session.accessToken, { name: '赵六', idNumber }).expect(400);
        expect({ idNumber, code: response.body.code }).toEqual({ idNumber, code });
        expect(response.body.message).not.toContain(idNumber);
      }
      for (const name of ['赵', '赵6', '  ', 'x'.repeat(65)]) {
        expect((await verifyRealName(session.accessToken, { name, idNumber: valid }).expect(400)).body.code).toBe('REAL_NAME_INVALID');
      }
      expect((await verifyRealName(session.accessToken, { name: '赵六' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
      expect((await verifyRealName(session.accessToken, { name: '赵六', idNumber: 110105 }).expect(400)).body.code).toBe(
        'VALIDATION_FAILED',
      );
      expect((await me(session.accessToken).expect(200)).body.verified).toBe(false);
    });
  });

  describe('consents', () => {
    const consentsOf = async (residentId: string) =>
      (await db.query(
        `SELECT c.kind, c.version FROM resident_consents c JOIN residents r ON r.id = c.resident_id WHERE r.public_id = $1 ORDER BY c.id`,
        [residentId],
      )) as Array<{ kind: string; version: string }>;

    it('sends no code without the privacy notice agreed to, or for an older one: nothing sent, counted or kept for the number', async () => {
      const phone = randomPhone();
      expect((await api().post('/v1/auth/otp').send({ phone }).expect(400)).body.code).toBe('PRIVACY_CONSENT_REQUIRED');
      const old = await api().post('/v1/auth/otp').send({ phone, privacyNotice: '2020-01-01' }).expect(409);
      expect(old.body).toMatchObject({ code: 'PRIVACY_NOTICE_OUTDATED', details: { current: SIGN_IN_CONSENT.privacyNotice } });
      // No code, no cool-down, no count of the number or of this address.
      expect(await keysMatching(raw, `${prefix}*${phone}*`)).toEqual([]);
      expect(await addressKeys()).toEqual([]);
      // With the notice agreed to, the number gets its code at once (no cool-down was started).
      expect((await sendOtp(phone).expect(202)).body.devCode).toMatch(/^\d{6}$/);
    });

    it('refuses a sign-in without the privacy notice agreed to, or an older one, keeping the code and creating no account', async () => {
      const phone = randomPhone();
      const sent = await sendOtp(phone).expect(202);
      const bare = await api().post('/v1/auth/otp/verify').send({ phone, code: sent.body.devCode }).expect(400);
      expect(bare.body.code).toBe('PRIVACY_CONSENT_REQUIRED');
      const old = await api().post('/v1/auth/otp/verify').send({ phone, code: sent.body.devCode, privacyNotice: '2020-01-01' }).expect(409);
      expect(old.body).toMatchObject({ code: 'PRIVACY_NOTICE_OUTDATED', details: { current: SIGN_IN_CONSENT.privacyNotice } });
      expect((await api().post('/v1/auth/otp/verify').send({ phone, code: sent.body.devCode, privacyNotice: 7 }).expect(400)).body.code).toBe('VALIDATION_FAILED');
      expect(await db.query('SELECT 1 FROM residents WHERE phone = $1', [phone])).toEqual([]);

      // The code was not tried: it signs in once the consent comes with it.
      const session = (await verifyOtp(phone, sent.body.devCode).expect(200)).body as Session;
      expect(await consentsOf(session.resident.id)).toEqual([{ kind: 'privacy_notice', version: SIGN_IN_CONSENT.privacyNotice }]);
    });

    it('records the notice at sign-in (once a version) and the handling of name and ID number at verification, which it refuses without', async () => {
      const phone = randomPhone();
      await signIn(phone);
      await redis.del(`otp:resident:cooldown:{${phone}}`);
      const session = await signIn(phone);
      const before = await db.query('SELECT real_name, id_number_hash, verified_at FROM residents WHERE public_id = $1', [session.resident.id]);
      for (const consent of [{}, { sensitiveConsent: false }]) {
        const refused = await api().post('/v1/residents/me/real-name').set(bearer(session.accessToken)).send({ name: '张三', idNumber: newIdNumber(), ...consent }).expect(400);
        expect(refused.body.code).toBe('SENSITIVE_CONSENT_REQUIRED');
      }
      expect(await db.query('SELECT real_name, id_number_hash, verified_at FROM residents WHERE public_id = $1', [session.resident.id])).toEqual(before);
      expect(await consentsOf(session.resident.id)).toEqual([{ kind: 'privacy_notice', version: SIGN_IN_CONSENT.privacyNotice }]);

      await verifyRealName(session.accessToken, { name: '张三', idNumber: newIdNumber() }).expect(200);
      const listed = (await api().get('/v1/residents/me/consents').set(bearer(session.accessToken)).expect(200)).body;
      expect(listed).toEqual({
        currentVersion: SIGN_IN_CONSENT.privacyNotice,
        items: [
          { kind: 'privacy_notice', version: SIGN_IN_CONSENT.privacyNotice, givenAt: expect.any(String) },
          { kind: 'sensitive_real_name', version: SIGN_IN_CONSENT.privacyNotice, givenAt: expect.any(String) },
        ],
      });
      await api().get('/v1/residents/me/consents').expect(401);
    });

    it('records agreement to a notice that changed since the sign-in, without signing in again; refused without it or for another version', async () => {
      const session = await signIn();
      // As if the sign-in had been under an older notice.
      await db.query(`UPDATE resident_consents SET version = '2026-01-01' WHERE resident_id = (SELECT id FROM residents WHERE public_id = $1)`, [session.resident.id]);
      const agree = (body: Record<string, unknown>) => api().post('/v1/residents/me/consents').set(bearer(session.accessToken)).send(body);
      expect((await agree({}).expect(400)).body.code).toBe('PRIVACY_CONSENT_REQUIRED');
      expect((await agree({ privacyNotice: '2026-01-01' }).expect(409)).body).toMatchObject({
        code: 'PRIVACY_NOTICE_OUTDATED',
        details: { current: SIGN_IN_CONSENT.privacyNotice },
      });
      expect(await consentsOf(session.resident.id)).toEqual([{ kind: 'privacy_notice', version: '2026-01-01' }]);

      await agree(SIGN_IN_CONSENT).expect(204);
      const [{ given_at: first }] = await db.query(
        `SELECT given_at FROM resident_consents WHERE version = $2 AND resident_id = (SELECT id FROM residents WHERE public_id = $1)`,
        [session.resident.id, SIGN_IN_CONSENT.privacyNotice],
      );
      // Again is fine, and keeps the first time.
      await agree(SIGN_IN_CONSENT).expect(204);
      expect(await consentsOf(session.resident.id)).toEqual([
        { kind: 'privacy_notice', version: '2026-01-01' },
        { kind: 'privacy_notice', version: SIGN_IN_CONSENT.privacyNotice },
      ]);
      const listed = (await api().get('/v1/residents/me/consents').set(bearer(session.accessToken)).expect(200)).body;
      expect(listed.items[1]).toEqual({ kind: 'privacy_notice', version: SIGN_IN_CONSENT.privacyNotice, givenAt: first.toISOString() });
      await api().post('/v1/residents/me/consents').send(SIGN_IN_CONSENT).expect(401);
    });
  });

  describe('scope', () => {
    it("answers /me with the caller's own account only; no request can name another", async () => {
      const alice = await signIn();
      const bob = await signIn();
      await verifyRealName(bob.accessToken, { name: '鲍勃', idNumber: newIdNumber() }).expect(200);

      const own = await me(alice.accessToken).expect(200);
      expect(own.body).toEqual({ ...alice.resident, realName: null, idNumberMasked: null });
      const asking = await api().get(`/v1/residents/me?id=${bob.resident.id}`).set(bearer(alice.accessToken)).expect(200);
      expect(asking.body.id).toBe(alice.resident.id);
      await api().get(`/v1/residents/${bob.resident.id}`).set(bearer(alice.accessToken)).expect(404);
      expect((await me(bob.accessToken).expect(200)).body).toMatchObject({ id: bob.resident.id, realName: '鲍*' });
    });

    it('requires a resident token', async () => {
      expect((await api().get('/v1/residents/me').expect(401)).body.code).toBe('UNAUTHENTICATED');
      const official = bearer(tokenFor({ role: Role.CommerceOfficial }));
      expect((await api().get('/v1/residents/me').set(official).expect(403)).body.code).toBe('FORBIDDEN');
      const nobody = tokenFor({ role: Role.Resident, sub: newPublicId() });
      expect((await me(nobody).expect(404)).body.code).toBe('RESIDENT_NOT_FOUND');
      expect((await verifyRealName(nobody, { name: '张三', idNumber: newIdNumber() }).expect(404)).body.code).toBe(
        'RESIDENT_NOT_FOUND',
      );
    });
  });

  it('documents the routes and their bodies in /docs', async () => {
    const document = (await api().get('/docs-json').expect(200)).body;
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/auth/otp',
        '/v1/auth/otp/verify',
        '/v1/auth/refresh',
        '/v1/auth/logout',
        '/v1/residents/me',
        '/v1/residents/me/real-name',
        '/v1/residents/me/consents',
        '/v1/residents/me/closing/otp',
        '/v1/residents/me/closing',
      ]),
    );
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(['ResidentSendCodeDto', 'ResidentSignInDto', 'RefreshTokenDto', 'VerifyRealNameDto', 'SessionView', 'ResidentProfileView']),
    );
    // The code's send and the sign-in both ask for the notice agreed to.
    for (const schema of ['ResidentSendCodeDto', 'ResidentSignInDto']) expect(document.components.schemas[schema].required).toContain('privacyNotice');
  });
});
