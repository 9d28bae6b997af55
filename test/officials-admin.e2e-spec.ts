import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { bootApp } from './support/apps';
import { openTestDatabase } from './support/database';
import { phoneBook } from './support/merchant-accounts';
import { OfficialSession, readyOfficial, signInOfficial } from './support/officials';
import { bearer } from './support/tokens';

/** Numbers starting 16 are this file's. */
const { randomPhone } = phoneBook('16');

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
  const auditOf = (targetId: string): Promise<AuditRow[]> =>
    db.query('SELECT actor_id, actor_role, action, detail FROM audit_log WHERE target_id = $1 ORDER BY id', [targetId]);

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
});
