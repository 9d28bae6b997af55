import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestingModule } from '@nestjs/testing';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '@vouchers/auth';
import { totpCodeOf } from '@vouchers/officials';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DEMO_OFFICIALS } from '../scripts/demo/demo-officials';
import { DEMO_WALK, stepRoute } from '../scripts/demo/demo-walk';
import { seedDemo } from '../scripts/demo/demo-seed';
import { bootApp, testConfig } from './support/apps';
import { openTestDatabase } from './support/database';
import { csvRecords } from './support/payouts';
import { isolateThisFile, startWorker } from './support/settlement';
import { bearer } from './support/tokens';

const ROOT = join(__dirname, '..');
const DOC_PORTS = { issuance: 3001, merchant: 3002, redemption: 3003, settlement: 3004 } as const;

interface PrintedOfficial {
  phone: string;
  password: string;
  totpSecret: string;
}

/** `node dist/scripts/seed-demo.js` as `npm start` runs it, on this file's database. */
function runSeed(): { stdout: string; values: Record<string, string>; officials: Record<string, PrintedOfficial> } {
  const seed = spawnSync(process.execPath, [join(ROOT, 'dist/scripts/seed-demo.js')], { cwd: ROOT, env: process.env, encoding: 'utf8', timeout: 60_000 });
  expect(seed.stderr).toBe('');
  expect(seed.status).toBe(0);
  // The banner's NAME=value lines: tokens, the open round, the demo day.
  const values = Object.fromEntries([...seed.stdout.matchAll(/^\s+([A-Z_]+)=(\S+)/gm)].map(([, name, value]) => [name, value]));
  // The officials' lines: NAME  phone=…  password='…'  totp=…
  const officials = Object.fromEntries(
    [...seed.stdout.matchAll(/^\s+([A-Z_]+)\s+phone=(\d+)\s+password='([^']+)'\s+totp=([A-Z2-7]+)/gm)].map(([, name, phone, password, totpSecret]) => [
      name,
      { phone, password, totpSecret },
    ]),
  );
  return { stdout: seed.stdout, values, officials };
}

/** The current code of a demo official as a person gets it: `npm run -s demo:totp -- NAME`. */
function demoTotp(...args: string[]): { stdout: string; status: number | null } {
  const run = spawnSync(process.execPath, [join(ROOT, 'dist/scripts/demo/demo-totp.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { stdout: run.stdout, status: run.status };
}

/** The role of every JWT in a text, read from its payload. */
function rolesOfTokensIn(text: string): string[] {
  return [...text.matchAll(/eyJ[\w-]*\.(eyJ[\w-]*)\.[\w-]+/g)].map(([, payload]) => JSON.parse(Buffer.from(payload, 'base64url').toString()).role);
}

/** Every table's rows, as one digest per table: what a second seed must leave as it is. */
async function snapshot(db: DataSource): Promise<Record<string, string>> {
  const tables: Array<{ name: string }> = await db.query(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const digests: Record<string, string> = {};
  for (const { name } of tables) {
    const [{ digest }] = await db.query(`SELECT count(*) || ':' || md5(COALESCE(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM "${name}" t`);
    digests[name] = digest;
  }
  return digests;
}

/**
 * The demo as a new user meets it: the real seed on an empty database, then the walk it prints,
 * over HTTP with the tokens it prints, from a grab in the open round to a reconciled payout of
 * the demo day.
 */
describe('the demo walk', () => {
  let dropDatabase: () => Promise<void>;
  let db: DataSource;
  let issuance: NestFastifyApplication;
  let redemption: NestFastifyApplication;
  let settlement: NestFastifyApplication;
  let worker: TestingModule | undefined;

  beforeAll(async () => {
    // The seed writes officials, merchants and a settled day: none of it may meet another file's rows.
    dropDatabase = await isolateThisFile();
    db = await openTestDatabase();
  });

  afterAll(async () => {
    await worker?.close();
    await Promise.all([issuance?.close(), redemption?.close(), settlement?.close()]);
    await db?.destroy();
    await dropDatabase?.();
  });

  it('is printed by the seed, changes nothing on a second run, and walks from a grab to a reconciled payout', async () => {
    const first = runSeed();
    const tokens = first.values;
    for (const name of ['RESIDENT', 'CASHIER', 'MERCHANT_ADMIN', 'ROUND', 'DAY']) expect(tokens[name]).toEqual(expect.any(String));
    // Officials are printed with what signs them in, and no token is made for any of them.
    const officialNames = Object.keys(first.officials);
    expect(officialNames.sort()).toEqual(DEMO_OFFICIALS.map((official) => official.key).sort());
    for (const name of officialNames) expect(first.stdout).not.toMatch(new RegExp(`\\b${name}\\b[^\\n]*eyJ`));
    expect(rolesOfTokensIn(first.stdout).sort()).toEqual([Role.MerchantAdmin, Role.MerchantStaff, Role.Resident]);
    for (const step of DEMO_WALK) expect(first.stdout).toContain(stepRoute(step, DOC_PORTS));
    const day = tokens.DAY;
    const yesterday = new Date(Date.parse(`${new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())}T00:00:00Z`) - 86_400_000)
      .toISOString()
      .slice(0, 10);
    expect(day).toBe(yesterday);

    const seeded = await snapshot(db);
    const second = runSeed();
    expect(await snapshot(db)).toEqual(seeded);
    expect({ round: second.values.ROUND, day: second.values.DAY }).toEqual({ round: tokens.ROUND, day });
    expect(second.officials).toEqual(first.officials);

    [issuance, redemption, settlement] = await Promise.all([bootApp('issuance'), bootApp('redemption'), bootApp('settlement')]);
    worker = await startWorker();

    // Every printed official signs in with the printed password and a code of the printed secret
    // (FINANCE_A's from `npm run demo:totp`, as the walk has a person do); two of each role.
    const signedIn: Record<string, string> = {};
    const roles: string[] = [];
    for (const [name, official] of Object.entries(first.officials)) {
      const code = name === 'FINANCE_A' ? demoTotp(name).stdout.trim() : totpCodeOf(official.totpSecret);
      const session = await request(settlement.getHttpServer())
        .post('/v1/official-auth/sign-in')
        .send({ phone: official.phone, password: official.password, totpCode: code });
      expect(`${name}: ${session.status}`).toBe(`${name}: 200`);
      expect(session.body.official.district).toBe(name.endsWith('_HAISHU') ? 'haishu' : null);
      signedIn[name] = session.body.accessToken;
      roles.push(session.body.official.role);
    }
    for (const role of [Role.CommerceOfficial, Role.FinanceOfficial, Role.Auditor, Role.OfficialAdmin]) {
      expect(roles.filter((signedInRole) => signedInRole === role).length).toBeGreaterThanOrEqual(2);
    }
    const as = (name: string) => bearer(tokens[name] ?? signedIn[name]);

    // 1-3: the resident grabs in the open round, the cashier redeems the checkout code.
    // The first grab of a campaign whose admission state is not loaded yet is answered 503 ADMISSION_REBUILDING: retry, as a client would.
    let grab = await request(issuance.getHttpServer()).post(`/v1/rounds/${tokens.ROUND}/claims`).set(as('RESIDENT'));
    for (const deadline = Date.now() + 15_000; grab.status === 503 && grab.body.code === 'ADMISSION_REBUILDING' && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      grab = await request(issuance.getHttpServer()).post(`/v1/rounds/${tokens.ROUND}/claims`).set(as('RESIDENT'));
    }
    expect(grab.status).toBe(201);
    const code = await request(issuance.getHttpServer()).post(`/v1/me/vouchers/${grab.body.id}/code`).set(as('RESIDENT')).expect(201);
    const redeemed = await request(redemption.getHttpServer())
      .post('/v1/redemptions')
      .set(as('CASHIER'))
      .send({ code: code.body.code, orderAmountFen: 5000, merchantOrderNo: 'WALK-1' })
      .expect(201);

    // A seeded redemption of the demo day reads, row and ledger, as the till's own of the same voucher type.
    const shapeOf = async (redemptionId: string) => {
      const [row] = await db.query(
        `SELECT r.discount_fen, r.city_fen, r.district_fen, r.status, v.status AS voucher_status, v.face_value_fen
           FROM redemptions r JOIN vouchers v ON v.id = r.voucher_id WHERE r.public_id = $1`,
        [redemptionId],
      );
      const legs = await db.query(
        `SELECT regexp_replace(account, '[0-9a-f-]{36}$', '<merchant>') AS account, debit_fen, credit_fen
           FROM ledger_entries WHERE ref_type = 'redemption' AND ref_id = $1 ORDER BY account`,
        [redemptionId],
      );
      return { row, legs };
    };
    const [{ seededId }] = await db.query(
      `SELECT r.public_id AS "seededId" FROM redemptions r JOIN vouchers v ON v.id = r.voucher_id JOIN merchants m ON m.id = r.merchant_id
        JOIN merchant_staff s ON s.merchant_id = m.id
        WHERE r.business_date = $1 AND v.face_value_fen = 1000 AND s.public_id = $2 LIMIT 1`,
      [day, JSON.parse(Buffer.from(tokens.CASHIER.split('.')[1], 'base64url').toString()).sub],
    );
    expect(await shapeOf(seededId)).toEqual(await shapeOf(redeemed.body.redemptionId));

    // 4-6: FINANCE_A, FINANCE_B and AUDITOR_A signed in above. 7-8: finance official A starts the demo day's batch; it builds.
    const api = () => request(settlement.getHttpServer());
    const started = await api().post('/v1/settlement/batches').set(as('FINANCE_A')).send({ businessDate: day }).expect(202);
    const batchId = started.body.id as string;
    let batch = started.body;
    for (const deadline = Date.now() + 30_000; batch.status === 'building' && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      batch = (await api().get(`/v1/settlement/batches/${batchId}`).set(as('FINANCE_A')).expect(200)).body;
    }
    expect(batch).toMatchObject({ businessDate: day, status: 'pending_approval', lineCount: expect.any(Number), redemptionCount: expect.any(Number) });
    expect(batch.lineCount).toBeGreaterThan(1);
    expect(batch.totalFen).toBeGreaterThan(0);
    // 9-10: A submits it (复核); A may not approve it too; B approves (审批).
    expect((await api().post(`/v1/settlement/batches/${batchId}/submit`).set(as('FINANCE_A')).expect(200)).body).toMatchObject({ to: 'submitted' });
    expect((await api().post(`/v1/settlement/batches/${batchId}/approve`).set(as('FINANCE_A')).expect(403)).body.code).toBe('FOUR_EYES_REQUIRED');
    const approved = await api().post(`/v1/settlement/batches/${batchId}/approve`).set(as('FINANCE_B')).expect(200);
    expect(approved.body).toMatchObject({ from: 'submitted', to: 'approved' });

    // 11: the payout file, every line with a full account number (no BANK_DETAILS_MISSING).
    const payout = await api().get(`/v1/settlement/batches/${batchId}/payout-file`).set(as('FINANCE_A'));
    expect(payout.body.code).toBeUndefined();
    expect(payout.status).toBe(200);
    const rows = await csvRecords(payout.text.replace(/^\ufeff/, ''));
    expect(rows).toHaveLength(batch.lineCount);
    for (const row of rows) {
      expect(row.bank_account_number).toMatch(/^\d{12,30}$/);
      expect(row.bank_account_masked).toBe(`${row.bank_account_number.slice(0, 4)} **** **** ${row.bank_account_number.slice(-4)}`);
    }
    expect(rows.reduce((sum, row) => sum + Number(row.amount_fen), 0)).toBe(batch.totalFen);

    // 12: the bank's return file, made from the payout file as the walk says: every line paid.
    const results = ['line_id,result,reason', ...rows.map((row) => `${row.line_id},paid,`)].join('\n') + '\n';
    const applied = await api().post(`/v1/settlement/batches/${batchId}/bank-results`).set(as('FINANCE_B')).set('content-type', 'text/csv').send(results).expect(200);
    expect(applied.body).toMatchObject({ status: 'paid', paid: rows.length, failed: 0, paidFen: batch.totalFen });

    // 13-14: the auditor finds nothing that does not agree.
    const report = (await api().get(`/v1/settlement/batches/${batchId}/reconciliation`).set(as('AUDITOR_A')).expect(200)).body;
    expect(report.mismatches).toBe(0);
    expect(report.redemptions.count).toBe(batch.redemptionCount);
    expect(report.vouchers.claimed.count).toBe(batch.redemptionCount);
    expect(report.settlement).toMatchObject({ paidFen: batch.totalFen, pendingFen: 0, failedFen: 0 });
    const balance = (await api().get('/v1/ledger/balance').set(as('AUDITOR_A')).expect(200)).body;
    expect(balance).toMatchObject({ imbalanceFen: 0, imbalancedPostings: 0 });

    // The seed once more, after the walk: it adds nothing (the officials who signed in keep their
    // accounts as they are) and prints the day (now settled) again. The worker stops first: its
    // recurring jobs (the voucher expiry at a quarter past each hour) would write between the snapshots.
    await worker?.close();
    worker = undefined;
    const walked = await snapshot(db);
    const third = runSeed();
    expect(await snapshot(db)).toEqual(walked);
    expect(third.values.DAY).toBe(day);
    // And on a later day: the demo day stays the one it was, nothing is added.
    const later = await seedDemo(db, testConfig(), new Date(Date.now() + 3 * 86_400_000));
    expect(await snapshot(db)).toEqual(walked);
    expect(later.facts.day?.date).toBe(day);
  }, 180_000);

  it('gives a demo official\'s current code with demo:totp, or their otpauth URI, without a database', () => {
    const finance = DEMO_OFFICIALS.find((official) => official.key === 'FINANCE_B')!;
    const before = totpCodeOf(finance.totpSecret);
    const printed = demoTotp('FINANCE_B');
    expect(printed.status).toBe(0);
    expect([before, totpCodeOf(finance.totpSecret)]).toContain(printed.stdout.trim());
    const uri = demoTotp('FINANCE_B', '--uri');
    expect(uri.stdout.split('\n')[0]).toBe(`otpauth://totp/Ningbo%20Vouchers:${finance.phone}?secret=${finance.totpSecret}&issuer=Ningbo%20Vouchers`);
    expect(demoTotp('NOBODY')).toMatchObject({ stdout: '', status: 2 });
  });

  it('is the walk README.md and docs/demo.md show', () => {
    for (const document of ['README.md', 'docs/demo.md']) {
      const text = readFileSync(join(ROOT, document), 'utf8');
      for (const step of DEMO_WALK) expect(`${document}: ${text.includes(stepRoute(step, DOC_PORTS)) ? 'names' : 'lacks'} ${stepRoute(step, DOC_PORTS)}`).toBe(
        `${document}: names ${stepRoute(step, DOC_PORTS)}`,
      );
    }
    // The curl walk signs in the walk's officials with their demo credentials and demo:totp.
    const curl = readFileSync(join(ROOT, 'docs/demo.md'), 'utf8');
    const signingIn = DEMO_WALK.filter((step) => step.path === '/v1/official-auth/sign-in').map((step) => step.token);
    expect(signingIn.length).toBeGreaterThan(0);
    for (const official of DEMO_OFFICIALS.filter((known) => signingIn.includes(known.key))) {
      for (const part of [official.phone, official.password, `npm run -s demo:totp -- ${official.key}`]) {
        expect(`${official.key}: ${curl.includes(part) ? 'names' : 'lacks'} ${part}`).toBe(`${official.key}: names ${part}`);
      }
    }
  });
});
