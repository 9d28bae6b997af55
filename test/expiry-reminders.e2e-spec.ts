import { getQueueToken } from '@nestjs/bullmq';
import { Test, TestingModule } from '@nestjs/testing';
import { AppError } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { OtpErrorCode, SMS_SENDER, SmsOutcomeUnknown, SmsSender } from '@vouchers/otp';
import { Job, Queue } from 'bullmq';
import { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { VoucherExpiry } from '../apps/settlement/src/expiry/voucher-expiry';
import { JobSchedules } from '../apps/settlement/src/jobs/job-schedules';
import { SETTLEMENT_QUEUE, SettlementJob } from '../apps/settlement/src/jobs/settlement-jobs';
import { ExpiryReminders } from '../apps/settlement/src/reminders/expiry-reminders';
import { LotteryWonNotices } from '../apps/settlement/src/reminders/lottery-won-notices';
import { DECIDE_NOTICES } from '../apps/settlement/src/reminders/expiry-reminders.sql';
import { NEXT_PENDING } from '../apps/settlement/src/reminders/notices.sql';
import { WorkerMetrics } from '../apps/settlement/src/watch/worker-metrics';
import { SettlementWorkerModule } from '../apps/settlement/src/worker.module';
import { testConfig } from './support/apps';
import { createActiveCampaign } from './support/campaigns';
import { CheckoutRig, grabVoucher } from './support/checkout';
import { createVerifiedResidents, TestResident } from './support/residents';
import { isolateThisFile } from './support/settlement';
import { until } from './support/settlement-faults';

/** One reminder as the SMS gateway got it. */
interface Sent {
  phone: string;
  count: number;
  date: string;
}

/**
 * The stand-in for the external SMS gateway (the only thing not real here): it records each
 * reminder, and fails a send when `fault` says so. Shared by the workers of this file.
 */
class RecordingSms implements SmsSender {
  readonly sends: Sent[] = [];
  /** The lottery win notices, apart from the reminders. */
  readonly wins: Sent[] = [];
  fault: ((phone: string, sentSoFar: number) => Error | undefined) | null = null;
  delayMs = 0;

  async sendOtp(): Promise<void> {
    throw new Error('no code is sent by the worker');
  }

  async sendExpiryReminder(phone: string, count: number, date: string): Promise<void> {
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const error = this.fault?.(phone, this.sends.length);
    if (error) throw error;
    this.sends.push({ phone, count, date });
  }

  async sendLotteryWon(phone: string, count: number, date: string): Promise<void> {
    const error = this.fault?.(phone, this.wins.length);
    if (error) throw error;
    this.wins.push({ phone, count, date });
  }
}

/** The Asia/Shanghai calendar date of a moment, computed here rather than by Postgres. */
const shanghaiDate = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/** A plan's scans (EXPLAIN's JSON), depth first: node type, relation and index. */
function scansOf(node: Record<string, unknown>): Array<{ node: unknown; relation: unknown; index: unknown }> {
  const own = typeof node['Relation Name'] === 'string' ? [{ node: node['Node Type'], relation: node['Relation Name'], index: node['Index Name'] ?? null }] : [];
  return [...own, ...((node.Plans as Array<Record<string, unknown>>) ?? []).flatMap(scansOf)];
}

describe('expiry reminders (one SMS a resident, at most one a resident and expiry date)', () => {
  const rig = new CheckoutRig();
  const sms = new RecordingSms();
  let db: DataSource;
  let workers: TestingModule[] = [];
  let reminders: ExpiryReminders;
  let dropDatabase: () => Promise<void>;

  async function startWorker(): Promise<TestingModule> {
    const moduleRef = await Test.createTestingModule({ imports: [SettlementWorkerModule] })
      .overrideProvider(AppConfig)
      .useValue(testConfig())
      .overrideProvider(SMS_SENDER)
      .useValue(sms)
      .compile();
    await moduleRef.init();
    await moduleRef.get(JobSchedules).registered;
    return moduleRef;
  }

  /**
   * Residents each holding a voucher of two rounds of one campaign, `hours[i]` = when each
   * expires from now (hours; negative: past). Returns each resident's phone and vouchers.
   */
  async function residentsHolding(hours: Array<[number, number]>): Promise<Array<{ resident: TestResident; phone: string; vouchers: string[]; expiries: Date[] }>> {
    const campaign = await createActiveCampaign(rig.issuance, { quantity: [hours.length, hours.length + 1], perPersonLimit: 2 });
    const residents = await createVerifiedResidents(db, hours.length);
    return Promise.all(
      residents.map(async (resident, i) => {
        const vouchers = [await grabVoucher(rig.issuance, resident, campaign.rounds[0]), await grabVoucher(rig.issuance, resident, campaign.rounds[1])];
        const expiries: Date[] = [];
        for (const [j, voucherId] of vouchers.entries()) {
          const [[{ expiresAt }]]: [[{ expiresAt: Date }], number] = await db.query(
            'UPDATE vouchers SET expires_at = now() + make_interval(secs => $2::float8 * 3600) WHERE public_id = $1 RETURNING expires_at AS "expiresAt"',
            [voucherId, hours[i][j]],
          );
          expiries.push(expiresAt);
        }
        const [{ phone }] = await db.query('SELECT phone FROM residents WHERE public_id = $1', [resident.id]);
        return { phone, vouchers, expiries, resident };
      }),
    );
  }

  /** Runs `act` and returns the reminders sent meanwhile. */
  async function sentDuring(act: () => Promise<unknown>): Promise<Sent[]> {
    const before = sms.sends.length;
    await act();
    return sms.sends.slice(before);
  }

  const byPhone = (sent: Sent[]) => [...sent].sort((a, b) => a.phone.localeCompare(b.phone));
  const statesOf = async (phones: string[]) =>
    (
      await db.query(
        `SELECT n.state, count(*)::int AS n FROM resident_notices n JOIN residents r ON r.id = n.resident_id
          WHERE r.phone = ANY($1::text[]) GROUP BY n.state ORDER BY n.state`,
        [phones],
      )
    ).reduce((all: Record<string, number>, row: { state: string; n: number }) => ({ ...all, [row.state]: row.n }), {});

  beforeAll(async () => {
    // The job reminds every resident due in the database: this file's own, so its counts are exact.
    dropDatabase = await isolateThisFile();
    // Pages of 2 notices, so a run reads many; sends unthrottled, so the tests do not wait on the pacer.
    process.env.EXPIRY_REMINDER_CHUNK_NOTICES = '2';
    process.env.EXPIRY_REMINDER_SENDS_PER_SECOND = '1000';
    ({ db } = await rig.start());
    workers = await Promise.all([startWorker(), startWorker()]);
    reminders = workers[0].get(ExpiryReminders);
  });

  beforeEach(() => {
    sms.fault = null;
    sms.delayMs = 0;
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    await rig.stop();
    await dropDatabase();
  });

  it('sends each resident with usable vouchers expiring within 48 hours one SMS, with how many and the earliest date; a second run the same day sends nothing', async () => {
    const till = await rig.till();
    const [both, redeemedOne, expiredOne, later, none] = await residentsHolding([
      [30, 10], // both within 48 h: 2, the 10 h one's date
      [5, 40], // the first redeemed below: 1, the 40 h one's date
      [-1, 60], // the first expired (by the expiry job) below, the second past the window: no SMS
      [47, 100], // one within: 1
      [49, 200], // neither within: no SMS
    ]);
    const scan = await rig.scan(till, await rig.code(redeemedOne.resident, redeemedOne.vouchers[0]), 5000);
    expect(scan.status).toBe(201);
    await new VoucherExpiry(db, testConfig()).run();
    expect(await db.query('SELECT status FROM vouchers WHERE public_id = $1', [expiredOne.vouchers[0]])).toEqual([{ status: 'expired' }]);

    let run: Awaited<ReturnType<ExpiryReminders['run']>> | undefined;
    const sent = await sentDuring(async () => (run = await reminders.run()));
    expect(byPhone(sent)).toEqual(
      byPhone([
        { phone: both.phone, count: 2, date: shanghaiDate(both.expiries[1]) },
        { phone: redeemedOne.phone, count: 1, date: shanghaiDate(redeemedOne.expiries[1]) },
        { phone: later.phone, count: 1, date: shanghaiDate(later.expiries[0]) },
      ]),
    );
    expect(run).toEqual({ decided: 3, stale: 0, abandoned: 0, sent: 3, failed: 0, unknown: 0 });
    expect(await statesOf([both, redeemedOne, expiredOne, later, none].map((r) => r.phone))).toEqual({ sent: 3 });

    // The same day again (the job's retry, a second scheduler, an operator): nothing more.
    expect(await sentDuring(() => reminders.run())).toEqual([]);
    // Even after the earliest voucher was used: a later date, but one reminder a resident a day.
    await rig.scan(till, await rig.code(both.resident, both.vouchers[1]), 5000).expect(201);
    expect(await sentDuring(() => reminders.run())).toEqual([]);
  });

  it('tells a closed account nothing: no notice is decided for it, and the open account beside it gets its SMS', async () => {
    const [open, closed] = await residentsHolding([
      [10, 20],
      [10, 20],
    ]);
    // As CloseAccount leaves the row, the vouchers given up (its own e2e: resident-closing).
    await db.query(`UPDATE residents SET phone = NULL, real_name = NULL, id_number_masked = NULL, closed_at = now() WHERE public_id = $1`, [closed.resident.id]);
    let run: Awaited<ReturnType<ExpiryReminders['run']>> | undefined;
    const sent = await sentDuring(async () => (run = await reminders.run()));
    expect(sent).toEqual([{ phone: open.phone, count: 2, date: shanghaiDate(open.expiries[0]) }]);
    expect(run).toMatchObject({ decided: 1, sent: 1 });
    const notices = await db.query(`SELECT count(*)::int AS n FROM resident_notices n JOIN residents r ON r.id = n.resident_id WHERE r.public_id = $1`, [closed.resident.id]);
    expect(notices).toEqual([{ n: 0 }]);
  });

  it('two workers running the job at once send each reminder once', async () => {
    const residents = await residentsHolding(Array.from({ length: 12 }, (_, i): [number, number] => [12 + i, 300]));
    sms.delayMs = 5; // so that the two runs overlap send by send
    const queue = workers[0].get<Queue>(getQueueToken(SETTLEMENT_QUEUE));
    const metricBefore = await sentMetric();
    const sent = await sentDuring(async () => {
      const jobs = await Promise.all(['a', 'b'].map((tag) => queue.add(SettlementJob.RemindExpiringVouchers, {}, { jobId: `remind-${tag}-${Date.now()}` })));
      // Each worker runs two jobs at a time: the two runs overlap whichever workers take them.
      const runs = [];
      for (const job of jobs) {
        await until('the reminder job to finish', async () => ((await job.getState()) === 'completed' ? true : undefined), 30_000, 50);
        runs.push((await Job.fromId(queue, job.id as string))?.returnvalue as { sent: number });
      }
      // Between them they sent each once (which run sent which is the race's).
      expect(runs[0].sent + runs[1].sent).toBe(residents.length);
    });
    expect(sent).toHaveLength(residents.length);
    expect(new Set(sent.map((s) => s.phone))).toEqual(new Set(residents.map((r) => r.phone)));
    expect(await statesOf(residents.map((r) => r.phone))).toEqual({ sent: residents.length });
    // Counted on /metrics by the workers that sent them, summed over the two.
    expect((await sentMetric()) - metricBefore).toBe(residents.length);
  });

  it('a run that dies after k sends is completed by the rerun without a repeat; the one in flight is lost, never sent twice, and ended as unknown ten minutes on', async () => {
    const residents = await residentsHolding(Array.from({ length: 7 }, (_, i): [number, number] => [20 + i, 300]));
    const k = 3;
    const start = sms.sends.length;
    sms.fault = (_phone, sentSoFar) => (sentSoFar - start === k ? new Error('the worker died during the send') : undefined);
    await expect(reminders.run()).rejects.toThrow(/the worker died/);
    expect(sms.sends.length - start).toBe(k);
    expect(await statesOf(residents.map((r) => r.phone))).toEqual({ pending: residents.length - k - 1, sending: 1, sent: k });

    sms.fault = null;
    const rest = await sentDuring(() => reminders.run());
    expect(rest).toHaveLength(residents.length - k - 1);
    const all = sms.sends.slice(start).map((s) => s.phone);
    expect(new Set(all).size).toBe(all.length);
    expect(await statesOf(residents.map((r) => r.phone))).toEqual({ sending: 1, sent: residents.length - 1 });

    // Ten minutes after it was taken, a run ends the one the dead sender left as unknown, and sends it no more.
    const phones = residents.map((r) => r.phone);
    await db.query(
      `UPDATE resident_notices SET taken_at = taken_at - interval '11 minutes'
        WHERE state = 'sending' AND resident_id IN (SELECT id FROM residents WHERE phone = ANY($1::text[]))`,
      [phones],
    );
    const later = sms.sends.length;
    const swept = await reminders.run();
    expect(swept.abandoned).toBeGreaterThanOrEqual(1);
    expect(sms.sends.length).toBe(later);
    expect(await statesOf(phones)).toEqual({ sent: residents.length - 1, unknown: 1 });
  });

  it('records a send of unknown outcome and never retries it; gives back one the gateway refused while down, sent by the rerun', async () => {
    const [unknown, down, fine] = await residentsHolding([
      [10, 300],
      [11, 300],
      [12, 300],
    ]);
    sms.fault = (phone) => (phone === unknown.phone ? new SmsOutcomeUnknown() : phone === down.phone ? new AppError(OtpErrorCode.SmsUnavailable, 'down') : undefined);
    await expect(reminders.run()).rejects.toMatchObject({ code: 'SMS_UNAVAILABLE' });
    const states = await db.query(
      `SELECT r.phone, n.state FROM resident_notices n JOIN residents r ON r.id = n.resident_id WHERE r.phone = ANY($1::text[]) ORDER BY n.id`,
      [[unknown.phone, down.phone, fine.phone]],
    );
    expect(states).toEqual([
      { phone: unknown.phone, state: 'unknown' },
      { phone: down.phone, state: 'pending' },
      { phone: fine.phone, state: 'pending' },
    ]);

    sms.fault = null;
    const rerun = await sentDuring(() => reminders.run());
    expect(rerun.map((s) => s.phone).sort()).toEqual([down.phone, fine.phone].sort());
    expect(await statesOf([unknown.phone, down.phone, fine.phone])).toEqual({ sent: 2, unknown: 1 });
  });

  it('with aliyun and no reminder template, logs and sends nothing (the job completes: no retry loop)', async () => {
    const [due] = await residentsHolding([[10, 300]]);
    const aliyun = testConfig({
      SMS_PROVIDER: 'aliyun',
      SMS_ALIYUN_ACCESS_KEY_ID: 'LTAIexample0001',
      SMS_ALIYUN_ACCESS_KEY_SECRET: 'an-example-secret',
      SMS_ALIYUN_SIGN_NAME: '宁波消费券',
      SMS_ALIYUN_TEMPLATE_CODE: 'SMS_468201234',
      SMS_ALIYUN_PHONE_CHANGE_TEMPLATE_CODE: 'SMS_468201235',
      SMS_ALIYUN_CLOSING_TEMPLATE_CODE: 'SMS_468201236',
    });
    const run = await new ExpiryReminders(db, aliyun, sms).run();
    expect(run).toMatchObject({ skipped: expect.stringContaining('SMS_ALIYUN_EXPIRY_TEMPLATE_CODE'), decided: 0, sent: 0 });
    expect(await statesOf([due.phone])).toEqual({});
  });

  it('decides through the due index of each campaign, and pages the notices through their pending index', async () => {
    await residentsHolding([[10, 300]]);
    const runner = db.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query('SET LOCAL enable_seqscan = off');
      const [{ 'QUERY PLAN': decide }] = await runner.query(`EXPLAIN (FORMAT JSON) ${DECIDE_NOTICES}`, ['voucher_expiry', 48]);
      // Each campaign's partition (the default one, for a campaign without its own, stays empty).
      const voucherScans = scansOf(decide[0].Plan).filter((scan) => /^vouchers_c\d+$/.test(String(scan.relation)));
      expect(voucherScans.length).toBeGreaterThan(0);
      for (const scan of voucherScans) expect(scan).toMatchObject({ node: expect.stringMatching(/Index/), index: expect.stringMatching(/^vouchers_expiry_due_idx_c\d+$/) });

      const [{ 'QUERY PLAN': page }] = await runner.query(`EXPLAIN (FORMAT JSON) ${NEXT_PENDING}`, ['voucher_expiry', '0', 1000]);
      expect(scansOf(page[0].Plan).find((scan) => scan.relation === 'resident_notices')).toMatchObject({ index: 'resident_notices_pending_idx' });
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
  });

  // Last in the file: its winners' vouchers expire beyond the reminders' lead time all the same.
  it('tells each winner of a published lottery draw once, a resident and round: not before publication, nor a closed account, an expired voucher or an old draw', async () => {
    const campaign = await createActiveCampaign(rig.issuance, { quantity: [5, 5] });
    const residents = await createVerifiedResidents(db, 5);
    const vouchers: string[] = [];
    for (const [i, resident] of residents.entries()) vouchers.push(await grabVoucher(rig.issuance, resident, campaign.rounds[i < 4 ? 0 : 1]));
    await db.query(`UPDATE vouchers SET expires_at = now() + interval '300 hours' WHERE public_id = ANY($1::uuid[])`, [vouchers]);
    const rounds: Array<{ id: string }> = await db.query('SELECT id FROM rounds WHERE public_id = ANY($1::uuid[]) ORDER BY id', [campaign.rounds]);
    // Each round's draw as the draw writes it (the draw itself is lottery.e2e-spec's): its winners, with the vouchers they got.
    for (const [i, round] of rounds.entries()) {
      await db.query(`INSERT INTO lottery_draws (round_id, salt, commitment, public_value_source) VALUES ($1, repeat('a', 64), repeat('b', 64), 'test')`, [round.id]);
      await db.query(
        `INSERT INTO lottery_outcomes (round_id, rank, entry_hash, resident_id, outcome, voucher_id)
         SELECT $1, row_number() OVER (ORDER BY v.id), md5(v.public_id::text) || md5(v.id::text), v.resident_id, 'won', v.id
           FROM vouchers v WHERE v.public_id = ANY($2::uuid[])`,
        [round.id, i === 0 ? vouchers.slice(0, 4) : vouchers.slice(4)],
      );
    }
    const phones: string[] = [];
    for (const resident of residents) phones.push((await db.query('SELECT phone FROM residents WHERE public_id = $1', [resident.id]))[0].phone);
    const [toldA, toldB, closed, expired, ofOldDraw] = residents;
    await db.query(`UPDATE vouchers SET expires_at = now() - interval '1 minute' WHERE public_id = $1`, [vouchers[3]]);
    await db.query(`UPDATE residents SET phone = NULL, real_name = NULL, id_number_masked = NULL, closed_at = now() WHERE public_id = $1`, [closed.id]);
    const lotteryWon = workers[0].get(LotteryWonNotices);

    // Not a word before the results are public.
    expect(await lotteryWon.run()).toMatchObject({ decided: 0, sent: 0 });
    await db.query(`UPDATE lottery_draws SET published_at = now() WHERE round_id = $1`, [rounds[0].id]);
    await db.query(`UPDATE lottery_draws SET published_at = now() - interval '80 hours' WHERE round_id = $1`, [rounds[1].id]);

    // The job as the schedule starts it, on a worker.
    const queue = workers[0].get<Queue>(getQueueToken(SETTLEMENT_QUEUE));
    const before = sms.wins.length;
    const job = await queue.add(SettlementJob.NotifyLotteryWinners, {}, { jobId: `lottery-won-${Date.now()}` });
    await until('the lottery win job to finish', async () => ((await job.getState()) === 'completed' ? true : undefined), 30_000, 50);
    expect((await Job.fromId(queue, job.id as string))?.returnvalue).toMatchObject({ decided: 2, sent: 2, failed: 0, unknown: 0 });
    const expiryOf = async (voucherId: string) => shanghaiDate((await db.query('SELECT expires_at FROM vouchers WHERE public_id = $1', [voucherId]))[0].expires_at);
    const told = [
      { phone: phones[0], count: 1, date: await expiryOf(vouchers[0]) },
      { phone: phones[1], count: 1, date: await expiryOf(vouchers[1]) },
    ];
    expect(byPhone(sms.wins.slice(before))).toEqual(byPhone(told));

    // Once: a second run tells no one again, and reads no winners again (the draw is marked decided; the old one never was).
    expect(await lotteryWon.run()).toMatchObject({ decided: 0, sent: 0 });
    expect(sms.wins.length).toBe(before + 2);
    const decided = await db.query('SELECT notices_decided_at IS NOT NULL AS decided FROM lottery_draws WHERE round_id = ANY($1::bigint[]) ORDER BY round_id', [
      rounds.map((round) => round.id),
    ]);
    expect(decided).toEqual([{ decided: true }, { decided: false }]);
    const notices = await db.query(
      `SELECT r.public_id AS resident, n.round_id, n.state FROM resident_notices n JOIN residents r ON r.id = n.resident_id
        WHERE n.kind = 'lottery_won' AND r.public_id = ANY($1::uuid[]) ORDER BY r.public_id`,
      [residents.map((r) => r.id)],
    );
    expect(notices).toEqual(
      [toldA, toldB].map((r) => ({ resident: r.id, round_id: rounds[0].id, state: 'sent' })).sort((a, b) => a.resident.localeCompare(b.resident)),
    );
    expect([closed, expired, ofOldDraw].every((r) => !notices.some((n: { resident: string }) => n.resident === r.id))).toBe(true);

    // Postgres holds it: a second notice of one round to one resident is refused; another round's, the same day, is not.
    const [{ id: residentRow }] = await db.query('SELECT id FROM residents WHERE public_id = $1', [toldA.id]);
    const insertNotice = (roundId: string) =>
      db.query(
        `INSERT INTO resident_notices (resident_id, kind, round_id, expiry_date, notice_date, voucher_count, earliest_expires_at)
         VALUES ($1, 'lottery_won', $2, (now() AT TIME ZONE 'Asia/Shanghai')::date, (now() AT TIME ZONE 'Asia/Shanghai')::date, 1, now())`,
        [residentRow, roundId],
      );
    await expect(insertNotice(rounds[0].id)).rejects.toMatchObject({ code: '23505', constraint: 'resident_notices_round_key' });
    await expect(insertNotice(rounds[1].id)).resolves.toBeDefined();
  });

  /** voucher_expiry_reminders_total{outcome="sent"}, summed over this file's workers. */
  async function sentMetric(): Promise<number> {
    let total = 0;
    for (const worker of workers) {
      const counter = worker.get(WorkerMetrics).registry.getSingleMetric('voucher_expiry_reminders_total') as Counter;
      total += (await counter.get()).values.find((value) => value.labels.outcome === 'sent')?.value ?? 0;
    }
    return total;
  }
});
