import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { openTotpSecret, totpCodeOf } from '@vouchers/officials';
import { loadConfig } from '@vouchers/config';
import { connectRedis, Redis } from '@vouchers/redis';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { bootApp } from './support/apps';
import { openTestDatabase } from './support/database';
import { phoneBook } from './support/merchant-accounts';
import { GOOD_PASSWORD, OfficialSession, readyOfficial, signInOfficial, TestOfficial, unspentCode } from './support/officials';
import { until } from './support/settlement-faults';
import { bearer } from './support/tokens';

/** Numbers starting 19 are this file's. */
const { randomPhone } = phoneBook('19');
const ROOT = join(__dirname, '..');

function officialsAdd(...args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'dist/scripts/officials-add.js'), ...args], {
    cwd: ROOT,
    env: process.env,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

const activationCodeIn = (stdout: string) => /Activation code .*: ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})/.exec(stdout)?.[1];

/**
 * Officials sign in themselves: the command makes the first administrator, who activates with a
 * one-time code (password and TOTP); sign-in takes both factors, locks after five failures,
 * refuses a spent TOTP code; disabling or resetting an account stops its tokens at once.
 */
describe('officials: accounts and sign-in', () => {
  let settlement: NestFastifyApplication;
  let merchant: NestFastifyApplication;
  let issuance: NestFastifyApplication;
  let redemption: NestFastifyApplication;
  let db: DataSource;
  let redis: Redis;
  const api = () => request(settlement.getHttpServer());
  /** From this client address (the app trusts the loopback's X-Forwarded-For), or from the loopback itself. */
  const signIn = (body: object, address?: string) => {
    const call = api().post('/v1/official-auth/sign-in');
    return (address ? call.set('x-forwarded-for', address) : call).send(body);
  };
  const refresh = (refreshToken: string) => api().post('/v1/official-auth/refresh').send({ refreshToken });
  /** A commerce official's route of another app: the registry, at the merchant app. */
  const registry = (token: string) => request(merchant.getHttpServer()).get('/v1/merchants').set(bearer(token));

  beforeAll(async () => {
    db = await openTestDatabase();
    redis = connectRedis(process.env.REDIS_URL as string);
    settlement = await bootApp('settlement', { TRUST_PROXY: '127.0.0.1, ::1' });
    merchant = await bootApp('merchant');
    issuance = await bootApp('issuance');
    redemption = await bootApp('redemption');
  });

  afterAll(async () => {
    await settlement?.close();
    await merchant?.close();
    await issuance?.close();
    await redemption?.close();
    await db?.destroy();
    redis?.disconnect();
  });

  it('the command creates the first administrator and prints a code, which activates the account (password, then TOTP)', async () => {
    const phone = randomPhone();
    const run = officialsAdd('--phone', phone, '--name', '首位管理员');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const code = activationCodeIn(run.stdout) as string;
    expect(code).toBeDefined();
    expect(officialsAdd('--phone', phone, '--name', '又一位').stderr).toContain('OFFICIAL_PHONE_TAKEN');

    // Not signed in before activation, whatever is sent.
    await signIn({ phone, password: GOOD_PASSWORD, totpCode: '000000' }).expect(401);
    const wrong = await api().post('/v1/official-auth/activation').send({ phone, activationCode: 'AAAA-BBBB-CCCC-DDDD', newPassword: GOOD_PASSWORD });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('ACTIVATION_CODE_INVALID');
    const early = await api().post('/v1/official-auth/activation/confirm').send({ phone, activationCode: code, totpCode: '123456' });
    expect(early.body.code).toBe('TOTP_NOT_ENROLLED');

    const enrol = await api()
      .post('/v1/official-auth/activation')
      .send({ phone, activationCode: code.toLowerCase(), newPassword: GOOD_PASSWORD })
      .expect(200);
    expect(enrol.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    expect(enrol.body.otpauthUri).toContain(`secret=${enrol.body.secret}`);
    expect(enrol.body.qrCodeSvg).toMatch(/^<svg/);
    const secret = enrol.body.secret as string;
    // The table keeps it sealed: a copy of the table alone is no second factor.
    const [{ totp_secret: stored }] = await db.query('SELECT totp_secret FROM officials WHERE phone = $1', [phone]);
    expect(stored).not.toContain(secret);
    expect(openTotpSecret(stored, loadConfig().bankAccountKey)).toBe(secret);

    const badTotp = await api().post('/v1/official-auth/activation/confirm').send({ phone, activationCode: code, totpCode: totpCodeOf(secret, Date.now() / 1000 - 300) });
    expect(badTotp.body.code).toBe('INVALID_CREDENTIALS');
    const confirmed = await api()
      .post('/v1/official-auth/activation/confirm')
      .send({ phone, activationCode: code, totpCode: totpCodeOf(secret) })
      .expect(200);
    const session = confirmed.body as OfficialSession;
    expect(session.official).toMatchObject({ role: Role.OfficialAdmin, district: null, status: 'active' });
    // Signed in by activating: the address counts as one the number signs in from.
    await until('the address known', async () => ((await redis.keys(`${process.env.REDIS_KEY_PREFIX}official-sign-in:{${phone}}:known:*`)).length === 1 ? true : undefined), 5_000);
    await api().get(`/v1/officials/${session.official.id}`).set(bearer(session.accessToken)).expect(200);
    // The code is spent.
    const again = await api().post('/v1/official-auth/activation').send({ phone, activationCode: code, newPassword: 'lantern ferry gull 47 basalt' });
    expect(again.body.code).toBe('ACTIVATION_CODE_INVALID');

    const audit: Array<{ actor_id: string; action: string; at: Date }> = await db.query(
      'SELECT actor_id, action, at FROM audit_log WHERE target_id = $1 ORDER BY id',
      [session.official.id],
    );
    expect(audit.map(({ actor_id, action }) => ({ actor_id, action }))).toEqual([
      { actor_id: 'officials:add', action: 'official.create' },
      { actor_id: session.official.id, action: 'official.activate' },
    ]);
    // Activating signed the official in: their first sign-in, at the activation's time, in the answer and on the row.
    const activatedAt = audit[1].at.toISOString();
    const [{ last_sign_in_at: kept }] = await db.query('SELECT last_sign_in_at FROM officials WHERE phone = $1', [phone]);
    expect([session.official.lastSignInAt, (kept as Date).toISOString()]).toEqual([activatedAt, activatedAt]);
  });

  it('signs in with password and TOTP; the access token is read by every app; refresh rotates; logout ends the session', async () => {
    const official = await readyOfficial(db, randomPhone(), Role.CommerceOfficial, 'haishu');
    const noTotp = await signIn({ phone: official.phone, password: official.password });
    expect(noTotp.status).toBe(400);
    const session = await signInOfficial(settlement, db, official);
    expect(session.official).toMatchObject({ id: official.id, role: Role.CommerceOfficial, district: 'haishu' });
    await registry(session.accessToken).expect(200);
    await request(issuance.getHttpServer()).get('/v1/admin/campaigns').set(bearer(session.accessToken)).expect(200);
    // The till's app has no official's route: the token is read (403 for the role, not 401).
    const till = await request(redemption.getHttpServer()).get('/v1/redemptions').set(bearer(session.accessToken));
    expect(till.body.code).toBe('FORBIDDEN');

    const next = (await refresh(session.refreshToken).expect(200)).body as OfficialSession;
    await registry(next.accessToken).expect(200);
    expect((await refresh(session.refreshToken)).body.code).toBe('REFRESH_TOKEN_REVOKED');
    // The reuse just seen ended every session of the account: their access tokens with them.
    expect((await registry(next.accessToken).expect(401)).body.code).toBe('ACCESS_TOKEN_REVOKED');
    const [third, fourth] = [await signInOfficial(settlement, db, official), await signInOfficial(settlement, db, official)];
    await api().post('/v1/official-auth/logout').send({ refreshToken: third.refreshToken }).expect(204);
    // Signed out: the session's access tokens stop too, in every app; the other session's go on.
    const campaigns = await request(issuance.getHttpServer()).get('/v1/admin/campaigns').set(bearer(third.accessToken));
    const merchants = await registry(third.accessToken);
    for (const after of [campaigns, merchants]) expect([after.status, after.body.code]).toEqual([401, 'ACCESS_TOKEN_REVOKED']);
    await registry(fourth.accessToken).expect(200);
    expect((await refresh(third.refreshToken)).body.code).toBe('REFRESH_TOKEN_REVOKED');

    // Each sign-in is the auditors' to read: who, when, from which address; the failed one above is not recorded.
    const signIns: Array<{ actor_role: string; target_id: string; detail: { address: string }; request_id: string | null }> = await db.query(
      `SELECT actor_role, target_id, detail, request_id FROM audit_log WHERE action = 'official.sign_in' AND actor_id = $1 ORDER BY id`,
      [official.id],
    );
    expect(signIns).toHaveLength(3);
    for (const entry of signIns) {
      expect(entry).toMatchObject({ actor_role: Role.CommerceOfficial, target_id: official.id, detail: { address: expect.stringMatching(/127\.0\.0\.1|::1/) } });
      expect(entry.request_id).toEqual(expect.any(String));
    }
  });

  it('locks a number to an address after five failed attempts from it, answered alike for an official and for nobody', async () => {
    const official = await readyOfficial(db, randomPhone());
    const stranger = '203.0.113.7';
    const guess = (phone: string) => signIn({ phone, password: 'not the password at all', totpCode: '000000' }, stranger);
    for (const phone of [official.phone, randomPhone()]) {
      for (let attempt = 1; attempt <= 4; attempt++) {
        const wrong = await guess(phone);
        expect([wrong.status, wrong.body.code, wrong.body.details]).toEqual([401, 'INVALID_CREDENTIALS', { attemptsLeft: 5 - attempt }]);
      }
      const fifth = await guess(phone);
      expect([fifth.status, fifth.body.code]).toEqual([423, 'ACCOUNT_LOCKED']);
      // The window started at the first attempt: a second or so of it may have gone.
      expect(fifth.body.details.retryAfterSeconds).toBeGreaterThan(880);
      expect(fifth.body.details.retryAfterSeconds).toBeLessThanOrEqual(900);
      expect(fifth.headers['retry-after']).toBe(String(fifth.body.details.retryAfterSeconds));
    }
    // Locked from there: even the right password and code are refused.
    const locked = await signIn({ phone: official.phone, password: official.password, totpCode: await unspentCode(db, official) }, stranger);
    expect(locked.status).toBe(423);
    // The official, elsewhere, signs in: the stranger locked only their own address out.
    await signIn({ phone: official.phone, password: official.password, totpCode: await unspentCode(db, official) }, '198.51.100.20').expect(200);
  });

  it("an administrator's reset starts the number's counts afresh: its holder, locked out at their own address, activates from there at once", async () => {
    const admin = await signInOfficial(settlement, db, await readyOfficial(db, randomPhone(), Role.OfficialAdmin));
    const official = await readyOfficial(db, randomPhone());
    const desk = '203.0.113.140';
    for (let attempt = 1; attempt <= 5; attempt++) await signIn({ phone: official.phone, password: `mistyped ${attempt}`, totpCode: '000000' }, desk);
    expect((await signIn({ phone: official.phone, password: official.password, totpCode: await unspentCode(db, official) }, desk)).status).toBe(423);
    const prefix = process.env.REDIS_KEY_PREFIX as string;
    // The address's count over every number is the address's own: the reset leaves it.
    const overNumbers = await redis.get(`${prefix}official-sign-in-address:{${desk}}`);

    const { activationCode } = (await api().post(`/v1/officials/${official.id}/password-reset`).set(bearer(admin.accessToken)).expect(200)).body;
    expect(await redis.exists(`${prefix}official-sign-in:{${official.phone}}:from:${desk}`, `${prefix}official-sign-in:{${official.phone}}:all`)).toBe(0);
    expect(await redis.get(`${prefix}official-sign-in-address:{${desk}}`)).toBe(overNumbers);
    const enrol = await api()
      .post('/v1/official-auth/activation')
      .set('x-forwarded-for', desk)
      .send({ phone: official.phone, activationCode, newPassword: 'harbour 88 plum violin' })
      .expect(200);
    await api()
      .post('/v1/official-auth/activation/confirm')
      .set('x-forwarded-for', desk)
      .send({ phone: official.phone, activationCode, totpCode: totpCodeOf(enrol.body.secret) })
      .expect(200);
  });

  it('counts attempts sent at once before checking any: a burst from one address gets five checked, no more', async () => {
    const official = await readyOfficial(db, randomPhone());
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) => signIn({ phone: official.phone, password: `not the password ${i}`, totpCode: '000000' }, '203.0.113.8')),
    );
    const statuses = burst.map((answer) => answer.status).sort();
    expect(statuses).toEqual([...Array(4).fill(401), ...Array(8).fill(423)]);
    // Five were checked and counted for the number; the seven refused at once were not.
    expect(await redis.get(`${process.env.REDIS_KEY_PREFIX}official-sign-in:{${official.phone}}:all`)).toBe('5');
    await signIn({ phone: official.phone, password: official.password, totpCode: await unspentCode(db, official) }, '198.51.100.24').expect(200);
  });

  it('gives an address its attempts back when it signs in, and counts an IPv6 address by its /64', async () => {
    const official = await readyOfficial(db, randomPhone());
    const wrong = (from: string) => signIn({ phone: official.phone, password: 'not the password at all', totpCode: '000000' }, from);
    for (let attempt = 1; attempt <= 4; attempt++) await wrong('203.0.113.40').expect(401);
    await signIn({ phone: official.phone, password: official.password, totpCode: await unspentCode(db, official) }, '203.0.113.40').expect(200);
    expect((await wrong('203.0.113.40')).body.details).toEqual({ attemptsLeft: 4 });
    // Four from one address of a /64, the fifth from another of it: one count.
    for (let attempt = 1; attempt <= 4; attempt++) await wrong(`2001:db8:7:1::${attempt}`).expect(401);
    expect((await wrong('2001:db8:7:1:ffff::9')).status).toBe(423);
    expect((await wrong('2001:db8:7:2::1')).body.details).toEqual({ attemptsLeft: 4 });
  });

  it('answers a wrong code behind the right password as it answers a wrong password: the count tells nothing', async () => {
    const official = await readyOfficial(db, randomPhone());
    const from = '203.0.113.9';
    const wrongPassword = await signIn({ phone: official.phone, password: 'not the password at all', totpCode: '000000' }, from);
    const wrongCode = await signIn({ phone: official.phone, password: official.password, totpCode: '000000' }, from);
    const wrongAgain = await signIn({ phone: official.phone, password: 'not the password either', totpCode: '000000' }, from);
    expect([wrongPassword, wrongCode, wrongAgain].map((answer) => [answer.status, answer.body.code, answer.body.details])).toEqual([
      [401, 'INVALID_CREDENTIALS', { attemptsLeft: 4 }],
      [401, 'INVALID_CREDENTIALS', { attemptsLeft: 3 }],
      [401, 'INVALID_CREDENTIALS', { attemptsLeft: 2 }],
    ]);
    expect(wrongCode.body.message).toBe(wrongPassword.body.message);
  });

  it('locks the number after fifty failed attempts from all addresses, but not where it signed in lately', async () => {
    const official = await readyOfficial(db, randomPhone());
    const office = '198.51.100.40';
    await signIn({ phone: official.phone, password: official.password, totpCode: await unspentCode(db, official) }, office).expect(200);
    for (let attempt = 1; attempt <= 50; attempt++) {
      // Four from each of thirteen addresses: none of them reaches its own lock.
      const wrong = await signIn({ phone: official.phone, password: 'not the password at all', totpCode: '000000' }, `203.0.113.${10 + Math.ceil(attempt / 4)}`);
      expect(wrong.status).toBe(attempt < 50 ? 401 : 423);
    }
    const elsewhere = await signIn({ phone: official.phone, password: official.password, totpCode: await unspentCode(db, official) }, '198.51.100.21');
    expect([elsewhere.status, elsewhere.body.code]).toEqual([423, 'ACCOUNT_LOCKED']);
    await signIn({ phone: official.phone, password: official.password, totpCode: await unspentCode(db, official) }, office).expect(200);
    // The office's attempts were never the number's: none given back to it (50, and the refused one given back by its address).
    expect(await redis.get(`${process.env.REDIS_KEY_PREFIX}official-sign-in:{${official.phone}}:all`)).toBe('51');
  });

  it('locks an address out of every number after thirty failed attempts over them, answered alike for every number', async () => {
    const office = '198.51.100.60';
    const regular = await readyOfficial(db, randomPhone());
    const newcomer = await readyOfficial(db, randomPhone());
    await signIn({ phone: regular.phone, password: regular.password, totpCode: await unspentCode(db, regular) }, office).expect(200);
    const wrong = (phone: string) => signIn({ phone, password: 'not the password at all', totpCode: '000000' }, office);
    // One guess at each of twenty-seven numbers: no number reaches its own count of five.
    for (let attempt = 1; attempt <= 27; attempt++) await wrong(randomPhone()).expect(401);
    // What is left is the address's, whether the number signs in there, is an official's, or neither.
    const near = [await wrong(regular.phone), await wrong(newcomer.phone)];
    expect(near.map((answer) => [answer.status, answer.body.details])).toEqual([
      [401, { attemptsLeft: 2 }],
      [401, { attemptsLeft: 1 }],
    ]);
    for (const phone of [regular.phone, newcomer.phone, randomPhone()]) {
      const locked = await wrong(phone);
      expect([locked.status, locked.body.code]).toEqual([423, 'ACCOUNT_LOCKED']);
    }
    // Every number there, the right password and code too; elsewhere the officials sign in.
    expect((await signIn({ phone: regular.phone, password: regular.password, totpCode: await unspentCode(db, regular) }, office)).status).toBe(423);
    await signIn({ phone: regular.phone, password: regular.password, totpCode: await unspentCode(db, regular) }, '198.51.100.61').expect(200);
    await signIn({ phone: newcomer.phone, password: newcomer.password, totpCode: await unspentCode(db, newcomer) }, '198.51.100.61').expect(200);
  });

  it('gives back the counts it took when Redis fails part-way through taking them', async () => {
    const phone = randomPhone();
    const from = '203.0.113.91';
    const prefix = process.env.REDIS_KEY_PREFIX;
    // The number's count over every address is taken last; a value of the wrong type makes its INCR fail.
    await redis.hset(`${prefix}official-sign-in:{${phone}}:all`, 'not', 'a count');
    const answer = await signIn({ phone, password: 'not the password at all', totpCode: '000000' }, from);
    expect(answer.status).toBe(500);
    expect(await redis.get(`${prefix}official-sign-in:{${phone}}:from:${from}`)).toBe('0');
    expect(await redis.get(`${prefix}official-sign-in-address:{${from}}`)).toBe('0');
  });

  it('locks the account after five wrong codes behind the right password, told only to the right password and code', async () => {
    const official = await readyOfficial(db, randomPhone());
    const code = (totpCode: string, from: string, password = official.password) => signIn({ phone: official.phone, password, totpCode }, from);
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect((await code('000000', '203.0.113.30')).body).toMatchObject({ code: 'INVALID_CREDENTIALS', details: { attemptsLeft: 5 - attempt } });
    }
    // The fifth locks the account, and is answered as any failure from its address.
    expect((await code('000000', '203.0.113.31')).body).toMatchObject({ code: 'INVALID_CREDENTIALS', details: { attemptsLeft: 4 } });
    const [{ locked }] = await db.query('SELECT locked_until > now() AS locked FROM officials WHERE phone = $1', [official.phone]);
    expect(locked).toBe(true);
    // Right password, wrong code; wrong password: nothing of the lock.
    expect([(await code('000000', '198.51.100.27')).status, (await code('000000', '198.51.100.25', 'not the password at all')).status]).toEqual([401, 401]);
    // Right password and code: told, from any address, and the code spent, so it cannot sign in once the lock ends.
    const found = await unspentCode(db, official);
    const told = await code(found, '198.51.100.22');
    expect([told.status, told.body.code, told.body.details.retryAfterSeconds > 880]).toEqual([423, 'ACCOUNT_LOCKED', true]);

    await db.query("UPDATE officials SET locked_until = now() - interval '1 second' WHERE phone = $1", [official.phone]);
    await code(found, '198.51.100.26').expect(401);
    await code(await unspentCode(db, official), '198.51.100.26').expect(200);
    const [{ failed_attempts }] = await db.query('SELECT failed_attempts FROM officials WHERE phone = $1', [official.phone]);
    expect(failed_attempts).toBe(0);
  });

  it('answers a wrong activation code from the attempts\' count, alike for an activation outstanding, none, and no official; the account counts nothing', async () => {
    const admin = await signInOfficial(settlement, db, await readyOfficial(db, randomPhone(), Role.OfficialAdmin));
    const pending = await readyOfficial(db, randomPhone());
    const { activationCode } = (await api().post(`/v1/officials/${pending.id}/password-reset`).set(bearer(admin.accessToken)).expect(200)).body;
    const active = await readyOfficial(db, randomPhone());
    const activate = (phone: string, code: string, from: string) =>
      api().post('/v1/official-auth/activation').set('x-forwarded-for', from).send({ phone, activationCode: code, newPassword: 'harbour 88 plum violin' });
    const answers = [];
    for (const [i, phone] of [pending.phone, active.phone, randomPhone()].entries()) {
      for (let attempt = 1; attempt <= 5; attempt++) {
        const wrong = await activate(phone, `AAAA-BBBB-CCCC-000${attempt}`, `203.0.113.${70 + i}`);
        answers.push([i, wrong.status, wrong.body.code, wrong.body.details?.attemptsLeft ?? wrong.body.details?.retryAfterSeconds > 0]);
      }
    }
    // Five from one address lock the number there, as at sign-in: the same answers for all three.
    const expected = (i: number) => [
      ...[4, 3, 2, 1].map((left) => [i, 401, 'ACTIVATION_CODE_INVALID', left]),
      [i, 423, 'ACCOUNT_LOCKED', true],
    ];
    expect(answers).toEqual([...expected(0), ...expected(1), ...expected(2)]);
    const counted = await db.query('SELECT failed_attempts, locked_until FROM officials WHERE phone = ANY($1) ORDER BY phone', [[pending.phone, active.phone]]);
    expect(counted).toEqual([{ failed_attempts: 0, locked_until: null }, { failed_attempts: 0, locked_until: null }]);
    // The official activates from elsewhere.
    const from = '198.51.100.72';
    const enrol = await activate(pending.phone, activationCode, from).expect(200);
    await api()
      .post('/v1/official-auth/activation/confirm')
      .set('x-forwarded-for', from)
      .send({ phone: pending.phone, activationCode, totpCode: totpCodeOf(enrol.body.secret) })
      .expect(200);
    // The five wrong ones stand in the number's count; the two right ones were given back.
    expect(await redis.get(`${process.env.REDIS_KEY_PREFIX}official-sign-in:{${pending.phone}}:all`)).toBe('5');
    await signInOfficial(settlement, db, active);
  });

  it('answers a second click of an activation step ACTIVATION_CHANGED, does nothing for it and counts nothing', async () => {
    const admin = await signInOfficial(settlement, db, await readyOfficial(db, randomPhone(), Role.OfficialAdmin));
    const official = await readyOfficial(db, randomPhone());
    const { activationCode } = (await api().post(`/v1/officials/${official.id}/password-reset`).set(bearer(admin.accessToken)).expect(200)).body;
    const from = '203.0.113.95';
    const enrol = () =>
      api().post('/v1/official-auth/activation').set('x-forwarded-for', from).send({ phone: official.phone, activationCode, newPassword: 'harbour 88 plum violin' });
    // Both clicks read the account before either changes it: the row held, they wait at its lock.
    const holder = new Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    let answers: request.Response[];
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM officials WHERE phone = $1 FOR UPDATE', [official.phone]);
      const clicks = Promise.all([enrol(), enrol()]);
      // The first waits on the holder, the second behind the first.
      const atTheLock = `SELECT count(*)::int AS n FROM pg_stat_activity
                          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM officials%'`;
      await until('both clicks at the lock', async () => ((await db.query(atTheLock))[0].n >= 2 ? true : undefined), 10_000);
      await holder.query('COMMIT');
      answers = await clicks;
    } finally {
      await holder.end();
    }
    expect(answers.map((answer) => [answer.status, answer.body.code]).sort()).toEqual([
      [200, undefined],
      [409, 'ACTIVATION_CHANGED'],
    ]);
    // The secret stored is the one answered; the second click counted nothing.
    const { secret } = answers.find((answer) => answer.status === 200)!.body;
    expect(await redis.get(`${process.env.REDIS_KEY_PREFIX}official-sign-in:{${official.phone}}:from:${from}`)).toBe('0');
    await api()
      .post('/v1/official-auth/activation/confirm')
      .set('x-forwarded-for', from)
      .send({ phone: official.phone, activationCode, totpCode: totpCodeOf(secret) })
      .expect(200);
  });

  it("the demo seed's reset of an account (createReadyOfficial again) stops the tokens signed before it", async () => {
    const official = await readyOfficial(db, randomPhone(), Role.CommerceOfficial, 'haishu');
    const before = await signInOfficial(settlement, db, official);
    await registry(before.accessToken).expect(200);
    // Seeded again as a city-wide official: a token still saying haishu would read as the old scope.
    const reseeded = await readyOfficial(db, official.phone, Role.CommerceOfficial, null);
    expect((await registry(before.accessToken).expect(401)).body.code).toBe('ACCESS_TOKEN_REVOKED');
    await registry((await signInOfficial(settlement, db, reseeded)).accessToken).expect(200);
  });

  it('refuses a TOTP code already used in its window', async () => {
    const official = await readyOfficial(db, randomPhone());
    const code = await unspentCode(db, official);
    await signIn({ phone: official.phone, password: official.password, totpCode: code }).expect(200);
    const replay = await signIn({ phone: official.phone, password: official.password, totpCode: code });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('INVALID_CREDENTIALS');
    // An earlier step than the one spent is refused too; a later one is not.
    const step = Math.floor(Date.now() / 30_000);
    expect((await signIn({ phone: official.phone, password: official.password, totpCode: totpCodeOf(official.totpSecret, (step - 1) * 30) })).status).toBe(401);
    await signIn({ phone: official.phone, password: official.password, totpCode: totpCodeOf(official.totpSecret, (step + 1) * 30) }).expect(200);
  });

  describe('a disabled account', () => {
    let admin: OfficialSession;
    let official: TestOfficial;
    let session: OfficialSession;

    beforeAll(async () => {
      admin = await signInOfficial(settlement, db, await readyOfficial(db, randomPhone(), Role.OfficialAdmin));
      official = await readyOfficial(db, randomPhone());
      session = await signInOfficial(settlement, db, official);
      await registry(session.accessToken).expect(200);
      const disabled = await api().post(`/v1/officials/${official.id.toUpperCase()}/disable`).set(bearer(admin.accessToken)).expect(200);
      expect(disabled.body.status).toBe('disabled');
    });

    it('loses its live access token at once, in every app', async () => {
      const refused = await registry(session.accessToken);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('ACCOUNT_DISABLED');
    });

    it('cannot refresh', async () => {
      const refused = await refresh(session.refreshToken);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('ACCOUNT_DISABLED');
    });

    it('cannot sign in, and the refused attempt is no sign-in', async () => {
      const refused = await signIn({ phone: official.phone, password: official.password, totpCode: await unspentCode(db, official) });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('ACCOUNT_DISABLED');
      const [{ last_sign_in_at: kept }] = await db.query('SELECT last_sign_in_at FROM officials WHERE phone = $1', [official.phone]);
      expect((kept as Date).toISOString()).toBe(session.official.lastSignInAt);
    });
  });

  it.each([
    ['PASSWORD_TOO_SHORT', 'Sh0rt!pass'],
    ['PASSWORD_TOO_LONG', 'x'.repeat(129)],
    ['PASSWORD_TOO_COMMON', 'qwertyuiop123'],
    ['PASSWORD_CONTAINS_PHONE', 'orbit {phone} kettle'],
    ['PASSWORD_TOO_WEAK', 'aaaaaaaaaaaaaaaa'],
  ])('refuses a new password with %s, at activation and at a change', async (code, template) => {
    const official = await readyOfficial(db, randomPhone());
    const newPassword = template.replace('{phone}', official.phone);
    const session = await signInOfficial(settlement, db, official);
    const change = await api()
      .post('/v1/official-auth/password')
      .set(bearer(session.accessToken))
      .send({ currentPassword: official.password, newPassword, totpCode: await unspentCode(db, official) });
    expect(change.status).toBe(422);
    expect(change.body.code).toBe(code);

    const phone = randomPhone();
    const fresh = officialsAdd('--phone', phone, '--name', '规则', '--role', 'auditor');
    const activation = await api()
      .post('/v1/official-auth/activation')
      .send({ phone, activationCode: activationCodeIn(fresh.stdout), newPassword: template.replace('{phone}', phone) });
    expect(activation.status).toBe(422);
    expect(activation.body.code).toBe(code);
  });

  it('changes a password with the old one and a TOTP code; older tokens and the old password stop working', async () => {
    const official = await readyOfficial(db, randomPhone());
    const other = await signInOfficial(settlement, db, official);
    const session = await signInOfficial(settlement, db, official);
    const change = (body: object) => api().post('/v1/official-auth/password').set(bearer(session.accessToken)).send(body);
    const newPassword = 'lantern ferry gull 47 basalt';
    expect((await change({ currentPassword: 'wrong wrong wrong', newPassword, totpCode: await unspentCode(db, official) })).body.code).toBe('INVALID_CREDENTIALS');
    expect((await change({ currentPassword: official.password, newPassword, totpCode: '000000' })).body.code).toBe('INVALID_CREDENTIALS');
    expect((await change({ currentPassword: official.password, newPassword: official.password, totpCode: await unspentCode(db, official) })).body.code).toBe('PASSWORD_UNCHANGED');

    const changed = (await change({ currentPassword: official.password, newPassword, totpCode: await unspentCode(db, official) }).expect(201)).body as OfficialSession;
    // Changed while signed in: no sign-in of its own, so the last one stands.
    expect(changed.official.lastSignInAt).toBe(session.official.lastSignInAt);
    await registry(changed.accessToken).expect(200);
    expect((await registry(other.accessToken)).body.code).toBe('ACCESS_TOKEN_REVOKED');
    expect((await refresh(other.refreshToken)).body.code).toBe('REFRESH_TOKEN_REVOKED');
    expect((await signIn({ phone: official.phone, password: official.password, totpCode: await unspentCode(db, official) })).status).toBe(401);
    await signInOfficial(settlement, db, { ...official, password: newPassword });
  });

  it("an administrator's reset forces a new password (and TOTP) before the next sign-in, and ends the sessions", async () => {
    const admin = await signInOfficial(settlement, db, await readyOfficial(db, randomPhone(), Role.OfficialAdmin));
    const official = await readyOfficial(db, randomPhone(), Role.FinanceOfficial);
    const session = await signInOfficial(settlement, db, official);
    const reset = await api().post(`/v1/officials/${official.id}/password-reset`).set(bearer(admin.accessToken)).expect(200);
    expect(reset.body.official.status).toBe('pending_activation');
    const code = reset.body.activationCode as string;

    const batches = await api().get('/v1/settlement/batches').set(bearer(session.accessToken));
    expect(batches.body.code).toBe('ACCESS_TOKEN_REVOKED');
    expect((await refresh(session.refreshToken)).body.code).toBe('REFRESH_TOKEN_REVOKED');
    const old = await signIn({ phone: official.phone, password: official.password, totpCode: totpCodeOf(official.totpSecret) });
    expect(old.status).toBe(403);
    expect(old.body.code).toBe('PASSWORD_CHANGE_REQUIRED');

    const same = await api().post('/v1/official-auth/activation').send({ phone: official.phone, activationCode: code, newPassword: official.password });
    expect(same.body.code).toBe('PASSWORD_UNCHANGED');
    const newPassword = 'harbour 88 plum violin';
    const enrol = await api().post('/v1/official-auth/activation').send({ phone: official.phone, activationCode: code, newPassword }).expect(200);
    expect(enrol.body.secret).not.toBe(official.totpSecret);
    await api()
      .post('/v1/official-auth/activation/confirm')
      .send({ phone: official.phone, activationCode: code, totpCode: totpCodeOf(enrol.body.secret) })
      .expect(200);
    await signInOfficial(settlement, db, { ...official, password: newPassword, totpSecret: enrol.body.secret });
  });
});
