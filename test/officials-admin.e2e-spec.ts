import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { totpCodeOf } from '@vouchers/officials';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { bootApp } from './support/apps';
import { openTestDatabase } from './support/database';
import { phoneBook } from './support/merchant-accounts';
import { OfficialSession, readyOfficial, signInOfficial, TestOfficial } from './support/officials';
import { bearer } from './support/tokens';

/** Numbers starting 16 are this file's. */
const { randomPhone } = phoneBook('16');

/** What an account looks like in the list and every other answer: never a credential. */
const VIEW_KEYS = ['activationExpiresAt', 'createdAt', 'disabledAt', 'district', 'id', 'lastSignInAt', 'name', 'phone', 'role', 'status'];

interface ListedOfficial {
  id: string;
  role: string;
  district: string | null;
  status: string;
  activationExpiresAt: string | null;
  lastSignInAt: string | null;
}

interface AuditRow {
  actor_id: string;
  actor_role: string;
  action: string;
  detail: Record<string, unknown>;
}

/** Account administrators create, change and disable officials' accounts, each change audited. */
describe("officials: the administrators' API", () => {
  let app: NestFastifyApplication;
  let db: DataSource;
  let admin: OfficialSession;
  const api = () => request(app.getHttpServer());
  /** Every account the filters give, page after page (limit a page), and the pages it took. */
  const listAll = async (filters: string, limit = 200): Promise<{ items: ListedOfficial[]; pages: number }> => {
    const items: ListedOfficial[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { body: { items: ListedOfficial[]; nextCursor: string | null } } = await api()
        .get(`/v1/officials?limit=${limit}${filters}${cursor ? `&cursor=${cursor}` : ''}`)
        .set(bearer(admin.accessToken))
        .expect(200);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor !== null);
    return { items, pages };
  };
  /** The administrators' moves on an account (its holder's own sign-ins, audited too, left out). */
  const auditOf = (targetId: string): Promise<AuditRow[]> =>
    db.query(`SELECT actor_id, actor_role, action, detail FROM audit_log WHERE target_id = $1 AND action <> 'official.sign_in' ORDER BY id`, [targetId]);

  beforeAll(async () => {
    db = await openTestDatabase();
    app = await bootApp('settlement');
    admin = await signInOfficial(app, db, await readyOfficial(db, randomPhone(), Role.OfficialAdmin));
  });

  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('creates an account with an activation code, audited; refuses a taken phone and a district-scoped administrator', async () => {
    const phone = randomPhone();
    const created = await api()
      .post('/v1/officials')
      .set(bearer(admin.accessToken))
      .send({ phone: `+86 ${phone}`, name: '鄞州 商务', role: Role.CommerceOfficial, district: 'yinzhou' })
      .expect(201);
    expect(created.body.official).toMatchObject({ role: Role.CommerceOfficial, district: 'yinzhou', status: 'pending_activation' });
    expect(created.body.official.phone).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    expect(created.body.activationCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    const [{ activation_code_hash }] = await db.query('SELECT activation_code_hash FROM officials WHERE phone = $1', [phone]);
    expect(activation_code_hash).not.toContain(created.body.activationCode);
    expect(await auditOf(created.body.official.id)).toEqual([
      { actor_id: admin.official.id, actor_role: Role.OfficialAdmin, action: 'official.create', detail: { role: Role.CommerceOfficial, district: 'yinzhou' } },
    ]);

    const taken = await api().post('/v1/officials').set(bearer(admin.accessToken)).send({ phone, name: '重复', role: Role.Auditor });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('OFFICIAL_PHONE_TAKEN');
    const scoped = await api()
      .post('/v1/officials')
      .set(bearer(admin.accessToken))
      .send({ phone: randomPhone(), name: '区管理员', role: Role.OfficialAdmin, district: 'haishu' });
    expect(scoped.status).toBe(422);
    expect(scoped.body.code).toBe('ADMINISTRATOR_CITY_WIDE');
    // district null is city-wide, as /docs says (nullable).
    const cityWide = await api().post('/v1/officials').set(bearer(admin.accessToken)).send({ phone: randomPhone(), name: '全市 审计', role: Role.Auditor, district: null });
    expect([cityWide.status, cityWide.body.official.district, cityWide.body.official.lastSignInAt]).toEqual([201, null, null]);
    const badRole = await api().post('/v1/officials').set(bearer(admin.accessToken)).send({ phone: randomPhone(), name: 'x', role: Role.Resident });
    expect(badRole.body.code).toBe('VALIDATION_FAILED');
    // A name of spaces only was stored as '' once trimmed.
    const blank = await api().post('/v1/officials').set(bearer(admin.accessToken)).send({ phone: randomPhone(), name: '   ', role: Role.Auditor });
    expect([blank.status, blank.body.details]).toEqual([400, { problems: ['name must not be blank'] }]);
  });

  it('is open to account administrators only', async () => {
    const commerce = await signInOfficial(app, db, await readyOfficial(db, randomPhone()));
    const refused = await api().post('/v1/officials').set(bearer(commerce.accessToken)).send({ phone: randomPhone(), name: 'x', role: Role.Auditor });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    await api().get(`/v1/officials/${commerce.official.id}`).set(bearer(commerce.accessToken)).expect(403);
  });

  it('changes a name without touching the sessions, and a role or district by ending them; both audited', async () => {
    const official = await readyOfficial(db, randomPhone(), Role.CommerceOfficial, 'haishu');
    const session = await signInOfficial(app, db, official);
    const path = `/v1/officials/${official.id.toUpperCase()}`;
    const renamed = await api().patch(path).set(bearer(admin.accessToken)).send({ name: '海曙 商务 张' }).expect(200);
    expect(renamed.body).toMatchObject({ name: '海曙 商务 张', role: Role.CommerceOfficial, district: 'haishu' });
    expect((await api().patch(path).set(bearer(admin.accessToken)).send({ name: ' \t ' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    // Only district may be null: a null name or role was taken as "unchanged" (200).
    for (const body of [{ name: null }, { role: null }]) {
      expect((await api().patch(path).set(bearer(admin.accessToken)).send(body).expect(400)).body.code).toBe('VALIDATION_FAILED');
    }
    await api().post('/v1/official-auth/password').set(bearer(session.accessToken)).send({}).expect(400); // the token still works

    const moved = await api().patch(path).set(bearer(admin.accessToken)).send({ role: Role.Auditor, district: null }).expect(200);
    expect(moved.body).toMatchObject({ role: Role.Auditor, district: null, status: 'active' });
    const stale = await api().get('/v1/audit/entries').set(bearer(session.accessToken));
    expect(stale.status).toBe(401);
    expect(stale.body.code).toBe('ACCESS_TOKEN_REVOKED');
    expect((await api().post('/v1/official-auth/refresh').send({ refreshToken: session.refreshToken })).body.code).toBe('REFRESH_TOKEN_REVOKED');
    const again = await signInOfficial(app, db, official);
    expect(again.official).toMatchObject({ role: Role.Auditor, district: null });
    await api().get('/v1/audit/entries').set(bearer(again.accessToken)).expect(200);

    await api().patch(path).set(bearer(admin.accessToken)).send({ role: Role.Auditor }).expect(200);
    const audit = await auditOf(official.id);
    expect(audit.map((entry) => entry.action)).toEqual(['official.change', 'official.change']);
    expect(audit[1].detail).toEqual({
      before: { name: '海曙 商务 张', role: Role.CommerceOfficial, district: 'haishu' },
      after: { name: '海曙 商务 张', role: Role.Auditor, district: null },
    });
  });

  it('refuses a change that names nothing (NOTHING_TO_CHANGE, as a merchant\'s own profile does), changing nothing and auditing nothing', async () => {
    const official = await readyOfficial(db, randomPhone(), Role.CommerceOfficial, 'haishu');
    const session = await signInOfficial(app, db, official);
    const stateOf = () => db.query('SELECT name, role, district, token_version, disabled_at FROM officials WHERE public_id = $1', [official.id]);
    const before = await stateOf();
    const refused = await api().patch(`/v1/officials/${official.id}`).set(bearer(admin.accessToken)).send({});
    expect([refused.status, refused.body.code]).toEqual([400, 'NOTHING_TO_CHANGE']);
    expect(await stateOf()).toEqual(before);
    expect(await auditOf(official.id)).toEqual([]);
    await api().get('/v1/audit/entries').set(bearer(session.accessToken)).expect(403); // its token still works (a commerce official's 403, not 401)
    // The values it has already: no change, answered as it is, and not audited either.
    const same = await api().patch(`/v1/officials/${official.id}`).set(bearer(admin.accessToken)).send({ district: 'haishu' }).expect(200);
    expect(same.body).toMatchObject({ id: official.id, district: 'haishu' });
    expect(await auditOf(official.id)).toEqual([]);
  });

  it('says when an account last signed in: null before its first sign-in, the sign-in\'s time after, in the list and when read', async () => {
    const official = await readyOfficial(db, randomPhone(), Role.Auditor, 'beilun');
    const read = async () => (await api().get(`/v1/officials/${official.id}`).set(bearer(admin.accessToken)).expect(200)).body as ListedOfficial;
    const listed = async () => (await listAll(`&phone=${official.phone}`)).items[0];
    const lastSignIn = async (): Promise<string> => {
      const [{ at }] = await db.query(`SELECT at FROM audit_log WHERE action = 'official.sign_in' AND target_id = $1 ORDER BY id DESC LIMIT 1`, [official.id]);
      return (at as Date).toISOString();
    };
    expect([(await read()).lastSignInAt, (await listed()).lastSignInAt]).toEqual([null, null]);
    // A wrong code behind the right password is no sign-in.
    const wrong = await api().post('/v1/official-auth/sign-in').send({ phone: official.phone, password: official.password, totpCode: '000000' });
    expect(wrong.status).toBe(401);
    expect((await read()).lastSignInAt).toBeNull();

    const session = await signInOfficial(app, db, official);
    const first = await lastSignIn();
    expect(session.official.lastSignInAt).toBe(first);
    expect([(await read()).lastSignInAt, (await listed()).lastSignInAt]).toEqual([first, first]);
    await signInOfficial(app, db, official);
    const second = await lastSignIn();
    expect(Date.parse(second)).toBeGreaterThan(Date.parse(first));
    expect([(await read()).lastSignInAt, (await listed()).lastSignInAt]).toEqual([second, second]);
  });

  it('disables an account once (idempotent, one audit entry), never its own, and answers 404 for an unknown id', async () => {
    const official = await readyOfficial(db, randomPhone(), Role.FinanceOfficial);
    const path = `/v1/officials/${official.id}/disable`;
    const first = await api().post(path).set(bearer(admin.accessToken)).expect(200);
    expect(first.body.status).toBe('disabled');
    const second = await api().post(path).set(bearer(admin.accessToken)).expect(200);
    expect(second.body.disabledAt).toBe(first.body.disabledAt);
    expect((await auditOf(official.id)).map((entry) => [entry.actor_id, entry.action])).toEqual([[admin.official.id, 'official.disable']]);

    const own = await api().post(`/v1/officials/${admin.official.id}/disable`).set(bearer(admin.accessToken));
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('CANNOT_CHANGE_OWN_ACCOUNT');
    const unknown = await api().post('/v1/officials/0196b8f2-7c1e-7a3d-9f00-2b4c6d8e0a1f/disable').set(bearer(admin.accessToken));
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('OFFICIAL_NOT_FOUND');
  });

  it('enables a disabled account with a new activation code only: its old password and authenticator open nothing; audited', async () => {
    const official = await readyOfficial(db, randomPhone(), Role.FinanceOfficial, 'cixi');
    const before = await signInOfficial(app, db, official);
    await api().post(`/v1/officials/${official.id}/disable`).set(bearer(admin.accessToken)).expect(200);
    // A reset would leave it disabled, its code of no use (a disabled account is refused activation): refused, writing nothing.
    const reset = await api().post(`/v1/officials/${official.id}/password-reset`).set(bearer(admin.accessToken));
    expect([reset.status, reset.body.code]).toEqual([409, 'OFFICIAL_DISABLED']);
    const enabled = await api().post(`/v1/officials/${official.id}/enable`).set(bearer(admin.accessToken)).expect(200);
    expect(Object.keys(enabled.body).sort()).toEqual(['activationCode', 'activationExpiresAt', 'official']);
    expect(Object.keys(enabled.body.official).sort()).toEqual(VIEW_KEYS);
    expect(enabled.body.official).toMatchObject({
      id: official.id,
      role: Role.FinanceOfficial,
      district: 'cixi',
      status: 'pending_activation',
      disabledAt: null,
      activationExpiresAt: enabled.body.activationExpiresAt,
    });
    expect(enabled.body.activationCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    const [row] = await db.query('SELECT totp_secret, password_hash IS NOT NULL AS has_password FROM officials WHERE public_id = $1', [official.id]);
    expect(row).toEqual({ totp_secret: null, has_password: true });

    // Nothing from before the disabling comes back: its tokens stay refused, and its password answers as after a reset.
    expect((await api().get('/v1/settlement/batches').set(bearer(before.accessToken))).body.code).toBe('ACCESS_TOKEN_REVOKED');
    expect((await api().post('/v1/official-auth/refresh').send({ refreshToken: before.refreshToken })).body.code).toBe('REFRESH_TOKEN_REVOKED');
    const old = await api()
      .post('/v1/official-auth/sign-in')
      .send({ phone: official.phone, password: official.password, totpCode: totpCodeOf(official.totpSecret) });
    expect([old.status, old.body.code]).toEqual([403, 'PASSWORD_CHANGE_REQUIRED']);

    // The new code activates it, with a new password and a new authenticator.
    const activationCode = enabled.body.activationCode as string;
    const newPassword = 'harbour 88 plum violin';
    const enrol = await api().post('/v1/official-auth/activation').send({ phone: official.phone, activationCode, newPassword }).expect(200);
    expect(enrol.body.secret).not.toBe(official.totpSecret);
    await api()
      .post('/v1/official-auth/activation/confirm')
      .send({ phone: official.phone, activationCode, totpCode: totpCodeOf(enrol.body.secret) })
      .expect(200);
    const after = await signInOfficial(app, db, { ...official, password: newPassword, totpSecret: enrol.body.secret });
    expect(after.official).toMatchObject({ id: official.id, status: 'active' });

    expect((await auditOf(official.id)).filter((entry) => entry.actor_id === admin.official.id)).toEqual([
      { actor_id: admin.official.id, actor_role: Role.OfficialAdmin, action: 'official.disable', detail: {} },
      { actor_id: admin.official.id, actor_role: Role.OfficialAdmin, action: 'official.enable', detail: { activationExpiresAt: enabled.body.activationExpiresAt } },
    ]);
  });

  it('refuses to enable an account that is not disabled (changing nothing), its own, or for anyone but an administrator', async () => {
    const official = await readyOfficial(db, randomPhone(), Role.Auditor);
    const session = await signInOfficial(app, db, official);
    const pending = await api().post('/v1/officials').set(bearer(admin.accessToken)).send({ phone: randomPhone(), name: '待激活 启用', role: Role.Auditor }).expect(201);
    const stateOf = (id: string) =>
      db.query('SELECT token_version, activation_code_hash, activation_expires_at, totp_secret FROM officials WHERE public_id = $1', [id]);
    const unchanged = [await stateOf(official.id), await stateOf(pending.body.official.id)];
    for (const id of [official.id, pending.body.official.id]) {
      const refused = await api().post(`/v1/officials/${id}/enable`).set(bearer(admin.accessToken));
      expect([refused.status, refused.body.code]).toEqual([409, 'OFFICIAL_NOT_DISABLED']);
    }
    expect([await stateOf(official.id), await stateOf(pending.body.official.id)]).toEqual(unchanged);
    await api().get('/v1/audit/entries').set(bearer(session.accessToken)).expect(200);
    expect((await auditOf(official.id)).map((entry) => entry.action)).toEqual([]);
    expect((await auditOf(pending.body.official.id)).map((entry) => entry.action)).toEqual(['official.create']);

    const own = await api().post(`/v1/officials/${admin.official.id}/enable`).set(bearer(admin.accessToken));
    expect([own.status, own.body.code]).toEqual([403, 'CANNOT_CHANGE_OWN_ACCOUNT']);
    const unknown = await api().post('/v1/officials/0196b8f2-7c1e-7a3d-9f00-2b4c6d8e0a1f/enable').set(bearer(admin.accessToken));
    expect([unknown.status, unknown.body.code]).toEqual([404, 'OFFICIAL_NOT_FOUND']);

    const disabled = await readyOfficial(db, randomPhone(), Role.CommerceOfficial);
    await api().post(`/v1/officials/${disabled.id}/disable`).set(bearer(admin.accessToken)).expect(200);
    const byAuditor = await api().post(`/v1/officials/${disabled.id}/enable`).set(bearer(session.accessToken));
    expect([byAuditor.status, byAuditor.body.code]).toEqual([403, 'FORBIDDEN']);
    expect((await api().get(`/v1/officials/${disabled.id}`).set(bearer(admin.accessToken))).body.status).toBe('disabled');
  });

  describe('the list', () => {
    let active: TestOfficial;
    let pending: { id: string; phone: string };
    let disabled: TestOfficial;
    /** Disabled before it was ever activated: disabled outranks the activation outstanding. */
    let neverActivated: string;

    beforeAll(async () => {
      active = await readyOfficial(db, randomPhone(), Role.FinanceOfficial, 'cixi');
      const phone = randomPhone();
      const created = await api().post('/v1/officials').set(bearer(admin.accessToken)).send({ phone, name: '待激活 审计', role: Role.Auditor }).expect(201);
      pending = { id: created.body.official.id, phone };
      disabled = await readyOfficial(db, randomPhone(), Role.CommerceOfficial, 'xiangshan');
      await api().post(`/v1/officials/${disabled.id}/disable`).set(bearer(admin.accessToken)).expect(200);
      const unused = await api().post('/v1/officials').set(bearer(admin.accessToken)).send({ phone: randomPhone(), name: '未激活 停用', role: Role.Auditor }).expect(201);
      neverActivated = unused.body.official.id;
      await api().post(`/v1/officials/${neverActivated}/disable`).set(bearer(admin.accessToken)).expect(200);
    });

    it('shows every account newest first, masked, with no credential; one awaiting activation says when its code expires', async () => {
      const { items } = await listAll('');
      const ids = items.map((item) => item.id);
      expect(ids).toEqual(expect.arrayContaining([admin.official.id, active.id, pending.id, disabled.id]));
      expect([...ids].sort().reverse()).toEqual(ids);
      for (const item of items) expect(Object.keys(item).sort()).toEqual(VIEW_KEYS);
      const byId = new Map(items.map((item) => [item.id, item]));
      expect(byId.get(active.id)).toMatchObject({ role: Role.FinanceOfficial, district: 'cixi', status: 'active', activationExpiresAt: null });
      expect(byId.get(disabled.id)).toMatchObject({ status: 'disabled', activationExpiresAt: null });
      expect(byId.get(neverActivated)).toMatchObject({ status: 'disabled', activationExpiresAt: null });
      const waiting = byId.get(pending.id) as ListedOfficial & { phone: string };
      expect(waiting).toMatchObject({ role: Role.Auditor, district: null, status: 'pending_activation' });
      expect(waiting.phone).toBe(`${pending.phone.slice(0, 3)}****${pending.phone.slice(-4)}`);
      const hoursLeft = (Date.parse(waiting.activationExpiresAt as string) - Date.now()) / 3_600_000;
      expect(hoursLeft).toBeGreaterThan(71);
      expect(hoursLeft).toBeLessThanOrEqual(72);
    });

    it('filters by role, district, city-wide, status and a whole phone number, each alone and together', async () => {
      const check = async (filters: string, holds: (item: ListedOfficial) => boolean, includes: string[]) => {
        const { items } = await listAll(filters);
        expect(items.filter((item) => !holds(item))).toEqual([]);
        expect(items.map((item) => item.id)).toEqual(expect.arrayContaining(includes));
        return items;
      };
      await check(`&role=${Role.FinanceOfficial}`, (item) => item.role === Role.FinanceOfficial, [active.id]);
      await check(`&role=${Role.OfficialAdmin}`, (item) => item.role === Role.OfficialAdmin, [admin.official.id]);
      await check('&district=cixi', (item) => item.district === 'cixi', [active.id]);
      await check('&district=city', (item) => item.district === null, [admin.official.id, pending.id]);
      // The status filter (ACCOUNT_STATUS_WHERE) and the status answered (accountStatusOf) are one rule.
      await check('&status=active', (item) => item.status === 'active', [admin.official.id, active.id]);
      const waiting = await check('&status=pending_activation', (item) => item.status === 'pending_activation' && item.activationExpiresAt !== null, [pending.id]);
      expect(waiting.map((item) => item.id)).not.toContain(neverActivated);
      await check('&status=disabled', (item) => item.status === 'disabled', [disabled.id, neverActivated]);
      const all = (await listAll('')).items.length;
      const byStatus = await Promise.all(['active', 'pending_activation', 'disabled'].map(async (status) => (await listAll(`&status=${status}`)).items.length));
      expect(byStatus.reduce((sum, n) => sum + n, 0)).toBe(all);

      const byPhone = await listAll(`&phone=${encodeURIComponent(`+86 ${disabled.phone}`)}`);
      expect(byPhone.items.map((item) => item.id)).toEqual([disabled.id]);
      expect((await listAll(`&phone=${disabled.phone}&status=active`)).items).toEqual([]);
      expect((await listAll(`&role=${Role.CommerceOfficial}&district=xiangshan&status=disabled`)).items.map((item) => item.id)).toContain(disabled.id);
      expect((await listAll(`&role=${Role.Auditor}&district=xiangshan`)).items.map((item) => item.id)).not.toContain(disabled.id);
    });

    it('pages by keyset: every account once, in order, however small the pages', async () => {
      const made: string[] = [];
      for (let i = 0; i < 5; i += 1) made.push((await readyOfficial(db, randomPhone(), Role.CommerceOfficial, 'ninghai')).id);
      const whole = await listAll('&district=ninghai');
      const paged = await listAll('&district=ninghai', 2);
      expect(paged.items.map((item) => item.id)).toEqual(whole.items.map((item) => item.id));
      expect([whole.pages, paged.pages]).toEqual([1, Math.ceil(whole.items.length / 2)]);
      // Newest first: the five just made lead, the last made at the top.
      expect(whole.items.slice(0, 5).map((item) => item.id)).toEqual([...made].reverse());
    });

    it('is for account administrators only, and refuses a bad filter with 400 and a code', async () => {
      const commerce = await signInOfficial(app, db, await readyOfficial(db, randomPhone()));
      const refused = await api().get('/v1/officials').set(bearer(commerce.accessToken));
      expect([refused.status, refused.body.code]).toEqual([403, 'FORBIDDEN']);
      const auditor = await signInOfficial(app, db, await readyOfficial(db, randomPhone(), Role.Auditor));
      expect((await api().get('/v1/officials').set(bearer(auditor.accessToken))).status).toBe(403);
      const anonymous = await api().get('/v1/officials');
      expect([anonymous.status, anonymous.body.code]).toEqual([401, 'UNAUTHENTICATED']);

      for (const filter of ['role=resident', 'district=mars', 'district=', 'status=locked', 'limit=0', 'limit=201', 'cursor=%25%25']) {
        const bad = await api().get(`/v1/officials?${filter}`).set(bearer(admin.accessToken));
        expect([filter, bad.status, bad.body.code]).toEqual([filter, 400, 'VALIDATION_FAILED']);
      }
      const badPhone = await api().get('/v1/officials?phone=12345').set(bearer(admin.accessToken));
      expect([badPhone.status, badPhone.body.code]).toEqual([400, 'INVALID_PHONE']);
    });
  });
});
