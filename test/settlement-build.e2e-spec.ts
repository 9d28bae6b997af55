import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { newPublicId } from '@vouchers/common';
import { loadConfig } from '@vouchers/config';
import { createReadyOfficial } from '@vouchers/officials';
import { randomInt } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { getFlowProducerToken, getQueueToken } from '@nestjs/bullmq';
import { FlowProducer, Job, Queue } from 'bullmq';
import { BatchBuilder } from '../apps/settlement/src/build/batch-builder';
import { buildJobIds } from '../apps/settlement/src/build/settlement-flow';
import { SETTLEMENT_FLOW, SETTLEMENT_QUEUE, SettlementJob } from '../apps/settlement/src/jobs/settlement-jobs';
import { bootApp } from './support/apps';
import { CheckoutRig, TestTill } from './support/checkout';
import { financeOfficial, linesOfBatch, settleDay, settlementOverTills, unusedBusinessDay } from './support/settlement';
import { bearer, tokenFor } from './support/tokens';
import { GOOD_PASSWORD, signInOfficial } from './support/officials';

const FACE = 1000;
const ORDER = 8000;

/** Vouchers of 1000 fen (threshold 4000, half city half district) redeemed on orders of 8000 fen. */
describe('settlement: building the batch of a day', () => {
  const rig = new CheckoutRig();
  let settlement: NestFastifyApplication;
  let db: DataSource;
  const api = () => request(settlement.getHttpServer());

  const redeem = (till: TestTill) => rig.redeemNew(till, FACE, ORDER);
  const refund = (till: TestTill, redemptionId: string, amount: number) => rig.refund(till, redemptionId, amount).expect(201);
  const moveToDay = (redemptionIds: string[], day: string) =>
    db.query('UPDATE redemptions SET business_date = $2 WHERE public_id = ANY($1::uuid[])', [redemptionIds, day]);

  const linesOf = (batchId: string) => linesOfBatch(settlement, batchId);

  // This file leaves held lines on purpose: a database of its own, and two workers.
  const apps = settlementOverTills(rig, 2);
  beforeAll(() => {
    [settlement, db] = [apps.app(), apps.db()];
  });

  it('settles a day to the exact amounts per merchant and funding source, then nets clawbacks and carries held lines', async () => {
    const [a, b, c] = await Promise.all([rig.till({ district: 'haishu' }), rig.till({ district: 'yinzhou' }), rig.till({ district: 'cixi' })]);
    const [a1, a2, a3] = [await redeem(a), await redeem(a), await redeem(a)];
    const b1 = await redeem(b);
    const c1 = await redeem(c);
    await refund(a, a2, ORDER); // before settlement: the discount is taken back
    await refund(a, a3, 1000); // partial: the discount stands
    const day = await unusedBusinessDay(db);
    await moveToDay([a1, a2, a3, b1, c1], day);
    await db.query("UPDATE merchants SET status = 'suspended' WHERE public_id = $1", [c.merchantId]);

    const batch = await settleDay(settlement, day);
    expect(batch).toMatchObject({
      businessDate: day,
      status: 'pending_approval',
      lineCount: 3,
      redemptionCount: 5,
      totalFen: 3 * FACE,
      progress: { chunksDone: expect.any(Number), chunkCount: expect.any(Number) },
    });
    expect((batch.progress as { chunksDone: number; chunkCount: number }).chunksDone).toBe((batch.progress as { chunkCount: number }).chunkCount);
    const lines = await linesOf(batch.id as string);
    expect(lines.get(a.merchantId)).toMatchObject({ status: 'pending', redemptionCount: 3, grossFen: 2 * FACE, amountFen: 2 * FACE, cityFen: FACE, districtFen: FACE });
    expect(lines.get(b.merchantId)).toMatchObject({ status: 'pending', redemptionCount: 1, amountFen: FACE, cityFen: FACE / 2, districtFen: FACE / 2 });
    expect(lines.get(c.merchantId)).toMatchObject({ status: 'held', redemptionCount: 1, amountFen: FACE });
    const [{ untied }] = await db.query('SELECT count(*)::int AS untied FROM redemptions WHERE business_date = $1 AND settlement_line_id IS NULL', [day]);
    expect(untied).toBe(0);

    // After settlement: a full refund becomes a clawback; the suspended merchant is reinstated.
    await refund(a, a1, ORDER);
    await db.query("UPDATE merchants SET status = 'approved' WHERE public_id = $1", [c.merchantId]);
    const a4 = await redeem(a);
    const nextDay = await unusedBusinessDay(db);
    await moveToDay([a4], nextDay);
    const next = await settleDay(settlement, nextDay);
    const nextLines = await linesOf(next.id as string);
    expect(nextLines.get(a.merchantId)).toMatchObject({ grossFen: FACE, clawbackFen: FACE, amountFen: 0, status: 'paid', cityFen: 0, districtFen: 0 });
    expect(nextLines.get(c.merchantId)).toMatchObject({ status: 'pending', redemptionCount: 0, carriedFen: FACE, amountFen: FACE });
    expect(nextLines.has(b.merchantId)).toBe(false);
    expect(next).toMatchObject({ lineCount: 2, totalFen: FACE });
    const [{ open }] = await db.query(
      `SELECT count(*)::int AS open FROM clawbacks c JOIN merchants m ON m.id = c.merchant_id WHERE m.public_id = $1 AND c.settlement_line_id IS NULL`,
      [a.merchantId],
    );
    expect(open).toBe(0);
    // The held line was taken over by exactly one later line.
    const [held] = await db.query(
      `SELECT l.carried_into_line_id IS NOT NULL AS carried FROM settlement_lines l JOIN settlement_batches b ON b.id = l.batch_id
        WHERE b.public_id = $1 AND l.status = 'held'`,
      [batch.id],
    );
    expect(held).toEqual({ carried: true });
  });

  it('gives one batch for a day started twice at once, by two workers racing', async () => {
    const till = await rig.till();
    const day = await unusedBusinessDay(db);
    await moveToDay([await redeem(till), await redeem(till)], day);
    const [one, two] = await Promise.all([0, 1].map(() => api().post('/v1/settlement/batches').set(financeOfficial()).send({ businessDate: day }).expect(202)));
    expect(one.body.id).toBe(two.body.id);
    const built = await settleDay(settlement, day);
    expect(built).toMatchObject({ id: one.body.id, lineCount: 1, redemptionCount: 2, totalFen: 2 * FACE });
    const [{ batches }] = await db.query('SELECT count(*)::int AS batches FROM settlement_batches WHERE business_date = $1', [day]);
    expect(batches).toBe(1);
    // Only the start that opened it is audited, as the one who started the day.
    const starts = await db.query(`SELECT actor_id FROM audit_log WHERE target_id = $1 AND action = 'settlement_batch.start'`, [one.body.id]);
    expect(starts).toHaveLength(1);
  });

  it('refuses a day that has not ended, a bad date, and other roles', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    expect((await api().post('/v1/settlement/batches').set(financeOfficial()).send({ businessDate: today }).expect(409)).body.code).toBe('BUSINESS_DAY_NOT_OVER');
    for (const businessDate of ['2026-02-30', '2026-11', 'yesterday']) {
      expect((await api().post('/v1/settlement/batches').set(financeOfficial()).send({ businessDate }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    }
    await api().post('/v1/settlement/batches').set(bearer(tokenFor({ role: Role.Auditor }))).send({ businessDate: '2020-01-01' }).expect(403);
    await api().get(`/v1/settlement/batches/${newPublicId()}`).set(financeOfficial()).expect(404);
  });

  it('needs four eyes: one official submits the checked batch (复核), another approves it (审批); whoever submitted, held a line or re-opened it cannot', async () => {
    const [one, two] = [await rig.till(), await rig.till()];
    const day = await unusedBusinessDay(db);
    await moveToDay([await redeem(one), await redeem(two)], day);
    const batch = await settleDay(settlement, day);
    const [x, y] = [newPublicId(), newPublicId()];
    const move = (what: string, token: Record<string, string>) => api().post(`/v1/settlement/batches/${batch.id}/${what}`).set(token);
    const lines = await linesOf(batch.id as string);
    const lineId = (lines.get(two.merchantId) as unknown as { id: string }).id;
    await api().post(`/v1/settlement/batches/${batch.id}/lines/${lineId}/hold`).set(financeOfficial(x)).send({ reason: 'Account under review' }).expect(200);
    expect((await api().get(`/v1/settlement/batches/${batch.id}`).set(financeOfficial()).expect(200)).body).toMatchObject({ totalFen: FACE, adjustedBy: x });
    // Nobody approves a batch nobody has submitted, not even a second official.
    expect((await move('approve', financeOfficial(y)).expect(409)).body).toMatchObject({ code: 'INVALID_TRANSITION', details: { status: 'pending_approval' } });
    expect((await move('submit', financeOfficial(x)).expect(200)).body).toMatchObject({ from: 'pending_approval', to: 'submitted', by: x });
    expect((await move('submit', financeOfficial(y)).expect(409)).body.code).toBe('INVALID_TRANSITION');
    expect((await move('approve', financeOfficial(x)).expect(403)).body.code).toBe('FOUR_EYES_REQUIRED');
    const district = bearer(tokenFor({ role: Role.FinanceOfficial, district: 'haishu' }));
    expect((await move('approve', district).expect(403)).body.code).toBe('CITY_OFFICIAL_REQUIRED');
    expect((await move('approve', financeOfficial(y)).expect(200)).body).toMatchObject({ from: 'submitted', to: 'approved', by: y });
    expect((await move('approve', financeOfficial(y)).expect(409)).body.code).toBe('INVALID_TRANSITION');
    // y re-opens it: y is now its adjuster, so x submits again and y still may not approve.
    await move('reopen', financeOfficial(y)).expect(200);
    expect((await api().get(`/v1/settlement/batches/${batch.id}`).set(financeOfficial()).expect(200)).body).toMatchObject({
      status: 'pending_approval',
      submittedBy: null,
      approvedBy: null,
      adjustedBy: y,
    });
    await move('submit', financeOfficial(y)).expect(200);
    await move('reopen', financeOfficial(y)).expect(200);
    // x holds the other line and submits: x is the last adjuster now, and y, who re-opened it, still may not approve.
    const otherLineId = (lines.get(one.merchantId) as unknown as { id: string }).id;
    await api().post(`/v1/settlement/batches/${batch.id}/lines/${otherLineId}/hold`).set(financeOfficial(x)).send({ reason: 'Refund disputed' }).expect(200);
    await move('submit', financeOfficial(x)).expect(200);
    expect((await move('approve', financeOfficial(y)).expect(403)).body.code).toBe('FOUR_EYES_REQUIRED');
    const z = newPublicId();
    const approved = await move('approve', financeOfficial(z)).expect(200);
    expect(approved.body).toMatchObject({ from: 'submitted', to: 'approved', by: z });
    expect((await api().get(`/v1/settlement/batches/${batch.id}`).set(financeOfficial()).expect(200)).body).toMatchObject({
      status: 'approved',
      submittedBy: x,
      submittedAt: expect.stringMatching(/Z$/),
      approvedBy: z,
      adjustedBy: x,
      totalFen: 0,
    });
    const audit = await db.query(
      `SELECT actor_id, action FROM audit_log WHERE target_type = 'settlement_batch' AND target_id = $1 ORDER BY id`,
      [batch.id],
    );
    expect(audit.map((row: { action: string }) => row.action)).toEqual([
      'settlement_batch.start',
      'settlement_batch.built',
      'settlement_line.hold',
      'settlement_batch.submit',
      'settlement_batch.approve',
      'settlement_batch.reopen',
      'settlement_batch.submit',
      'settlement_batch.reopen',
      'settlement_line.hold',
      'settlement_batch.submit',
      'settlement_batch.approve',
    ]);

    // The same, read back by an official: newest first, who moved it from what to what.
    const { body: read } = await api().get(`/v1/settlement/batches/${(batch.id as string).toUpperCase()}/history`).set(financeOfficial()).expect(200);
    expect(read).toMatchObject({ batchId: batch.id, status: 'approved' });
    expect(read.history.map(({ action, from, to, by }: Record<string, string | null>) => ({ action, from, to, by }))).toEqual([
      { action: 'settlement_batch.approve', from: 'submitted', to: 'approved', by: z },
      { action: 'settlement_batch.submit', from: 'pending_approval', to: 'submitted', by: x },
      { action: 'settlement_line.hold', from: null, to: null, by: x },
      { action: 'settlement_batch.reopen', from: 'submitted', to: 'pending_approval', by: y },
      { action: 'settlement_batch.submit', from: 'pending_approval', to: 'submitted', by: y },
      { action: 'settlement_batch.reopen', from: 'approved', to: 'pending_approval', by: y },
      { action: 'settlement_batch.approve', from: 'submitted', to: 'approved', by: y },
      { action: 'settlement_batch.submit', from: 'pending_approval', to: 'submitted', by: x },
      { action: 'settlement_line.hold', from: null, to: null, by: x },
      { action: 'settlement_batch.built', from: 'building', to: 'pending_approval', by: 'settlement-worker' },
      { action: 'settlement_batch.start', from: null, to: 'building', by: expect.any(String) },
    ]);
    expect(read.history[8].detail).toEqual({ lineId, reason: 'Account under review', amountFen: FACE });
    expect(read.history[9]).toMatchObject({ byRole: 'system', detail: { lineCount: 2, totalFen: 2 * FACE }, at: expect.stringMatching(/Z$/) });
    expect(read.history[10]).toMatchObject({ byRole: 'finance_official', detail: { businessDate: day } });
  });

  it('names the officials who submitted and approved a batch, in the batch, its history and its reconciliation', async () => {
    const till = await rig.till();
    const day = await unusedBusinessDay(db);
    await moveToDay([await redeem(till)], day);
    const batch = await settleDay(settlement, day);
    // Two real finance officials, made together: their ids share their first characters.
    const official = async (name: string) => {
      const phone = `1390${randomInt(0, 10_000_000).toString().padStart(7, '0')}`;
      const made = { phone, name, role: Role.FinanceOfficial as const, district: null, password: GOOD_PASSWORD, sealKey: loadConfig().bankAccountKey };
      const { publicId, totpSecret } = await createReadyOfficial(db.manager, made);
      const session = await signInOfficial(settlement, db, { id: publicId, phone, password: GOOD_PASSWORD, totpSecret });
      return { id: publicId, token: bearer(session.accessToken) };
    };
    const checker = await official('复核 甲');
    const approver = await official('审批 乙');
    await api().post(`/v1/settlement/batches/${batch.id}/submit`).set(checker.token).expect(200);
    await api().post(`/v1/settlement/batches/${batch.id}/approve`).set(approver.token).expect(200);

    const read = (await api().get(`/v1/settlement/batches/${batch.id}`).set(approver.token).expect(200)).body;
    expect(read).toMatchObject({ submittedBy: checker.id, submittedByName: '复核 甲', approvedBy: approver.id, approvedByName: '审批 乙', adjustedByName: null });
    const { history } = (await api().get(`/v1/settlement/batches/${batch.id}/history`).set(approver.token).expect(200)).body;
    expect(history.map(({ action, byName }: { action: string; byName: string | null }) => [action, byName])).toEqual([
      ['settlement_batch.approve', '审批 乙'],
      ['settlement_batch.submit', '复核 甲'],
      ['settlement_batch.built', null],
      // Started by a test's token, of no official.
      ['settlement_batch.start', null],
    ]);
    const report = (await api().get(`/v1/settlement/batches/${batch.id}/reconciliation`).set(approver.token).expect(200)).body;
    expect(report.batch).toMatchObject({ submittedByName: '复核 甲', approvedByName: '审批 乙' });
  });

  it('refuses in Postgres an approval by the submitter or an adjuster, or with no submitter, whatever the code does', async () => {
    const batch = await settleDay(settlement, await unusedBusinessDay(db));
    const [x, y, z] = [newPublicId(), newPublicId(), newPublicId()];
    const approveAs = (approver: string, submitter: string | null, adjuster: string | null, adjusters: string[] = []) =>
      db.query(
        `UPDATE settlement_batches SET status = 'approved', approved_by = $2, approved_at = now(), submitted_by = $3, adjusted_by = $4, adjusters = $5::uuid[]
          WHERE public_id = $1`,
        [batch.id, approver, submitter, adjuster, adjusters],
      );
    for (const [submitter, adjuster, adjusters] of [[x, null, []], [null, null, []], [y, x, [x]], [y, z, [x, z]]] as const) {
      await expect(approveAs(x, submitter, adjuster, [...adjusters])).rejects.toMatchObject({ code: '23514', constraint: 'settlement_batches_four_eyes' });
    }
    await approveAs(x, y, z, [z]);
  });

  it("shows a batch's history to city-wide finance officials and auditors only, and 404 BATCH_NOT_FOUND for an unknown batch", async () => {
    const batch = await settleDay(settlement, await unusedBusinessDay(db));
    const history = (token: Record<string, string>, id = batch.id as string) => api().get(`/v1/settlement/batches/${id}/history`).set(token);
    expect((await history(bearer(tokenFor({ role: Role.Auditor }))).expect(200)).body.history.map((event: { action: string }) => event.action)).toEqual([
      'settlement_batch.built',
      'settlement_batch.start',
    ]);
    const district = bearer(tokenFor({ role: Role.FinanceOfficial, district: 'haishu' }));
    expect((await history(district).expect(403)).body.code).toBe('CITY_OFFICIAL_REQUIRED');
    expect((await history(bearer(tokenFor({ role: Role.CommerceOfficial }))).expect(403)).body.code).toBe('FORBIDDEN');
    for (const unknown of [newPublicId(), 'not-a-uuid']) {
      expect((await history(financeOfficial(), unknown).expect(404)).body.code).toBe('BATCH_NOT_FOUND');
    }
    const document = (await api().get('/docs-json').expect(200)).body;
    expect(document.paths['/v1/settlement/batches/{batchId}/history'].get.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/BatchHistoryView',
    );
  });

  it('shows batches, their lines, their reconciliation and the ledger to city-wide officials only: every district is in them', async () => {
    const batch = await settleDay(settlement, await unusedBusinessDay(db));
    const reads = [
      '/v1/settlement/batches',
      `/v1/settlement/batches/${batch.id}`,
      `/v1/settlement/batches/${batch.id}/lines`,
      `/v1/settlement/batches/${batch.id}/reconciliation`,
      `/v1/settlement/reconciliation?from=${batch.businessDate}&to=${batch.businessDate}`,
      '/v1/ledger/balance',
    ];
    for (const role of [Role.FinanceOfficial, Role.Auditor]) {
      for (const path of reads) {
        const response = await api().get(path).set(bearer(tokenFor({ role, district: 'haishu' })));
        expect([path, role, response.status, response.body.code]).toEqual([path, role, 403, 'CITY_OFFICIAL_REQUIRED']);
        await api().get(path).set(bearer(tokenFor({ role }))).expect(200);
      }
    }
  });

  it('lets a merchant read its own statements, per batch and per day, and nothing else', async () => {
    const [mine, theirs] = [await rig.till({ district: 'jiangbei' }), await rig.till()];
    const day = await unusedBusinessDay(db);
    const ids = [await redeem(mine), await redeem(mine), await redeem(theirs)];
    await moveToDay(ids, day);
    const statementsOf = (till: TestTill, path = '') =>
      request(settlement.getHttpServer()).get(`/v1/merchant/statements${path}`).set(bearer(till.adminToken));

    const before = (await statementsOf(mine, `/days/${day}`).expect(200)).body;
    expect(before).toEqual({ businessDate: day, settlement: null, unsettled: { redemptionCount: 2, subsidyFen: 2 * FACE } });

    const batch = await settleDay(settlement, day);
    const after = (await statementsOf(mine, `/days/${day}`).expect(200)).body;
    expect(after.unsettled).toEqual({ redemptionCount: 0, subsidyFen: 0 });
    expect(after.settlement).toMatchObject({
      batchId: batch.id,
      businessDate: day,
      batchStatus: 'pending_approval',
      redemptionCount: 2,
      grossFen: 2 * FACE,
      amountFen: 2 * FACE,
      cityFen: FACE,
      districtFen: FACE,
      status: 'pending',
    });
    const listed = (await statementsOf(mine, '?limit=100').expect(200)).body.items as Array<{ batchId: string; amountFen: number }>;
    expect(listed.filter((line) => line.batchId === batch.id)).toEqual([expect.objectContaining({ amountFen: 2 * FACE })]);
    const theirView = (await statementsOf(theirs, `/days/${day}`).expect(200)).body;
    expect(theirView.settlement).toMatchObject({ redemptionCount: 1, amountFen: FACE });
    expect(theirView.settlement.lineId).not.toBe(after.settlement.lineId);

    await request(settlement.getHttpServer()).get('/v1/merchant/statements').set(bearer(mine.cashierToken)).expect(403);
    await request(settlement.getHttpServer()).get('/v1/merchant/statements').set(financeOfficial()).expect(403);
    expect((await statementsOf(mine, '/days/2026-02-30').expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it('resumes by itself a build stuck on a job that ran out of retries, once whatever broke it is fixed', async () => {
    const till = await rig.till();
    const day = await unusedBusinessDay(db);
    await moveToDay([await redeem(till), await redeem(till)], day);
    const opened = await settlement.get(BatchBuilder).open(day);
    const queue = settlement.get<Queue>(getQueueToken(SETTLEMENT_QUEUE));
    // The day's flow, but its first chunk carries a day Postgres cannot read and may run once: it fails for good.
    await settlement.get<FlowProducer>(getFlowProducerToken(SETTLEMENT_FLOW)).add({
      name: SettlementJob.FinishBatch,
      queueName: SETTLEMENT_QUEUE,
      data: { batchId: opened.batchId },
      opts: { jobId: buildJobIds.finish(opened.batchId) },
      children: opened.chunks.map((chunk) => ({
        name: SettlementJob.BuildChunk,
        queueName: SETTLEMENT_QUEUE,
        data: { batchId: opened.batchId, businessDate: chunk.chunkNo === 0 ? 'not-a-day' : day, chunk },
        opts: { jobId: buildJobIds.chunk(opened.batchId, chunk.chunkNo), attempts: 1 },
      })),
    });
    const brokenId = buildJobIds.chunk(opened.batchId, 0);
    // It fails (and the workers' watchdog retries it, and it fails again, as long as it is broken).
    for (let i = 0; i < 200 && !(await Job.fromId(queue, brokenId))?.failedReason; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await Job.fromId(queue, brokenId))?.failedReason).toMatch(/not-a-day|invalid input syntax/);
    expect((await api().get(`/v1/settlement/batches/${opened.publicId}`).set(financeOfficial()).expect(200)).body.status).toBe('building');

    // Whatever broke it is fixed; nobody starts the day again: the watchdog's next retry completes the build.
    await (await Job.fromId(queue, brokenId))?.updateData({ batchId: opened.batchId, businessDate: day, chunk: opened.chunks[0] });
    const deadline = Date.now() + 30_000;
    let batch: Record<string, unknown>;
    do {
      await new Promise((resolve) => setTimeout(resolve, 100));
      batch = (await api().get(`/v1/settlement/batches/${opened.publicId}`).set(financeOfficial()).expect(200)).body;
    } while (batch.status === 'building' && Date.now() < deadline);
    expect(batch).toMatchObject({ id: opened.publicId, status: 'pending_approval', lineCount: 1, redemptionCount: 2, totalFen: 2 * FACE });
    // Starting the day again now finds it built, and adds nothing.
    expect((await api().post('/v1/settlement/batches').set(financeOfficial()).send({ businessDate: day }).expect(202)).body).toMatchObject({
      id: opened.publicId,
      status: 'pending_approval',
    });
  });

  it('leaves starting a build to city-wide finance officials: a district one is refused and nothing is opened', async () => {
    const till = await rig.till({ district: 'haishu' });
    const day = await unusedBusinessDay(db);
    await moveToDay([await redeem(till)], day);
    const district = bearer(tokenFor({ role: Role.FinanceOfficial, district: 'haishu' }));
    const refused = await api().post('/v1/settlement/batches').set(district).send({ businessDate: day }).expect(403);
    expect(refused.body.code).toBe('CITY_OFFICIAL_REQUIRED');
    const [{ batches }] = await db.query('SELECT count(*)::int AS batches FROM settlement_batches WHERE business_date = $1', [day]);
    expect(batches).toBe(0);
    // A city-wide official may: the same day opens and is built.
    expect(await settleDay(settlement, day)).toMatchObject({ businessDate: day, status: 'pending_approval', redemptionCount: 1 });
  });

  it('opens a batch only for a day between the program start and the configured days back, with a code for each refusal', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const daysBefore = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
    // The program started 40 days ago; a batch may be opened up to 31 days back.
    const app = await bootApp('settlement', { PROGRAM_START_DATE: daysBefore(40), SETTLEMENT_MAX_DAYS_BACK: '31' });
    try {
      const start = (businessDate: string, status: number) =>
        request(app.getHttpServer()).post('/v1/settlement/batches').set(financeOfficial()).send({ businessDate }).expect(status);
      expect((await start('1969-12-31', 422)).body).toMatchObject({ code: 'BUSINESS_DAY_BEFORE_PROGRAM', details: { firstDay: daysBefore(40) } });
      expect((await start(daysBefore(41), 422)).body.code).toBe('BUSINESS_DAY_BEFORE_PROGRAM');
      expect((await start(daysBefore(32), 422)).body).toMatchObject({ code: 'BUSINESS_DAY_TOO_OLD', details: { maxDaysBack: 31, earliestDay: daysBefore(31) } });
      expect((await start(today, 409)).body.code).toBe('BUSINESS_DAY_NOT_OVER');
      expect((await start(daysBefore(-1), 409)).body.code).toBe('BUSINESS_DAY_NOT_OVER');
      const refusedDays = ['1969-12-31', daysBefore(41), daysBefore(32), today, daysBefore(-1)];
      const [{ batches }] = await db.query('SELECT count(*)::int AS batches FROM settlement_batches WHERE business_date = ANY($1::date[])', [refusedDays]);
      expect(batches).toBe(0);
    } finally {
      await app.close();
    }
  });
});
