import { getQueueToken } from '@nestjs/bullmq';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestingModule } from '@nestjs/testing';
import { Role } from '@vouchers/auth';
import { Job, Queue } from 'bullmq';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { LEAGUE_SHEET } from '../apps/settlement/src/figures/league-xlsx';
import { PartyCounts } from '../apps/settlement/src/figures/party-counts';
import { periodOf } from '../apps/settlement/src/figures/party-periods';
import { ReadFigures } from '../apps/settlement/src/figures/read-figures.usecase';
import { FiguresRecount } from '../apps/settlement/src/figures/recount.check';
import { SETTLEMENT_QUEUE, SettlementJob } from '../apps/settlement/src/jobs/settlement-jobs';
import { WorkerMetrics } from '../apps/settlement/src/watch/worker-metrics';
import { bootApp } from './support/apps';
import { endSessionsBlockedBy, waitUntilBlockedBy } from './support/database';
import { createActiveCampaign, TestCampaign } from './support/campaigns';
import { CheckoutRig, grabVoucher, TestTill } from './support/checkout';
import { createVerifiedResidents, TestResident } from './support/residents';
import { isolateThisFile, startWorker } from './support/settlement';
import { until } from './support/settlement-faults';
import { bearer, tokenFor } from './support/tokens';

const A_FACE = 1001; // city 500 (rounded down), district 501
const B_FACE = 3000; // city 1500, district 1500

const cityOfficial = (role = Role.CommerceOfficial) => bearer(tokenFor({ role }));
const districtOfficial = (district: string, role = Role.CommerceOfficial) => bearer(tokenFor({ role, district }));

/** The value of the one sample of `name` whose labels include `labels`; undefined when there is none. */
function sampleOf(metrics: string, name: string, labels: Record<string, string>): number | undefined {
  const found = metrics
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .filter((line) => Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found.length === 0 ? undefined : Number(found[0].slice(found[0].lastIndexOf(' ') + 1));
}

const dayAfter = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const mondayOf = (day: string) => dayAfter(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));

/**
 * A mixed day, live, in a database of its own:
 *
 *   A  city-wide (no district), dining and retail, 满4004减1001, 20 on offer: claimed by R1 R2 R3 R4
 *   B  haishu only, dining, 满12000减3000, 10 on offer: claimed by R1 R5 R6
 *   r1 R1's A at a (haishu dining) 8000     r2 R2's A at b (yinzhou retail) 5000
 *   r3 R1's B at a 20000                    r4 R5's B at a 15000, refunded in full (the discount taken back)
 *   R3's A voucher expired, on the day before.
 *
 * Claims count in the campaign's district (A: 全市, category 综合; B: haishu, dining),
 * redemptions in the merchant's.
 */
describe('figures: the program’s running totals', () => {
  const rig = new CheckoutRig();
  let dropDatabase: () => Promise<void>;
  let settlement: NestFastifyApplication;
  let worker: TestingModule;
  let db: DataSource;
  let a: TestTill, b: TestTill;
  let campaignA: TestCampaign, campaignB: TestCampaign;
  let today: string;
  let yesterday: string;
  let expiredVoucher: string;

  const api = () => request(settlement.getHttpServer());
  const figures = (query: string, headers = cityOfficial()) => api().get(`/v1/figures${query}`).set(headers);

  async function redeem(resident: TestResident, voucherId: string, till: TestTill, orderAmountFen: number): Promise<string> {
    const scanned = await rig.scan(till, await rig.code(resident, voucherId), orderAmountFen).expect(201);
    return scanned.body.redemptionId as string;
  }

  beforeAll(async () => {
    dropDatabase = await isolateThisFile();
    ({ db } = await rig.start());
    settlement = await bootApp('settlement');
    worker = await startWorker();
    [a, b] = await Promise.all([rig.till({ district: 'haishu', category: 'dining' }), rig.till({ district: 'yinzhou', category: 'retail' })]);
    campaignA = await createActiveCampaign(rig.issuance, { faceValueFen: A_FACE, thresholdFen: 4004, categories: ['dining', 'retail'], quantity: [20] });
    campaignB = await createActiveCampaign(rig.issuance, {
      faceValueFen: B_FACE,
      thresholdFen: 12000,
      categories: ['dining'],
      districts: ['haishu'],
      quantity: [10],
    });
    const [r1, r2, r3, r4, r5, r6] = await createVerifiedResidents(db, 6);
    const voucherA = new Map<TestResident, string>();
    for (const resident of [r1, r2, r3, r4]) voucherA.set(resident, await grabVoucher(rig.issuance, resident, campaignA.rounds[0]));
    const voucherB = new Map<TestResident, string>();
    for (const resident of [r1, r5, r6]) voucherB.set(resident, await grabVoucher(rig.issuance, resident, campaignB.rounds[0]));

    const first = await redeem(r1, voucherA.get(r1) as string, a, 8000);
    await redeem(r2, voucherA.get(r2) as string, b, 5000);
    await redeem(r1, voucherB.get(r1) as string, a, 20000);
    const refunded = await redeem(r5, voucherB.get(r5) as string, a, 15000);
    await rig.refund(a, refunded, 15000).expect(201);

    [{ today }] = await db.query(`SELECT to_char(business_date, 'YYYY-MM-DD') AS today FROM redemptions WHERE public_id = $1`, [first]);
    yesterday = dayAfter(today, -1);
    expiredVoucher = voucherA.get(r3) as string;
    await db.query(
      `UPDATE vouchers SET status = 'expired', expires_at = ($2::date + time '20:00') AT TIME ZONE 'Asia/Shanghai' WHERE public_id = $1`,
      [voucherA.get(r3), yesterday],
    );
  }, 180_000);

  afterAll(async () => {
    await worker?.close();
    await settlement?.close();
    await rig.stop();
    await dropDatabase?.();
  });

  it('live: the day’s figures are the hand-computed ones, by campaign, district and category', async () => {
    const report = (await figures('').expect(200)).body;
    expect(report).toMatchObject({ from: today, to: today });
    expect(report.total).toEqual({
      offered: 30,
      claimed: 7,
      claimedFen: 4 * A_FACE + 3 * B_FACE,
      redeemed: 4,
      refunded: 1,
      expired: 0,
      orderAmountFen: 48000,
      refundAmountFen: 15000,
      consumptionFen: 33000,
      subsidyFen: 5002,
      citySubsidyFen: 2500,
      districtSubsidyFen: 2502,
      leverage: 6.6,
      redemptionRate: 0.5714,
      merchants: 2,
      // Those who redeemed: R1, R2, R5.
      residents: 3,
    });

    const district = (code: string) => report.byDistrict.find((row: { district: string }) => row.district === code);
    expect(district('全市')).toMatchObject({ offered: 20, claimed: 4, redeemed: 0, residents: 0, merchants: 0 });
    expect(district('haishu')).toMatchObject({
      districtName: '海曙区',
      offered: 10,
      claimed: 3,
      redeemed: 3,
      refunded: 1,
      consumptionFen: 28000,
      subsidyFen: 4001,
      citySubsidyFen: 2000,
      districtSubsidyFen: 2001,
      leverage: 7,
      redemptionRate: 1,
      merchants: 1,
      // R1 (twice) and R5.
      residents: 2,
    });
    expect(district('yinzhou')).toMatchObject({ claimed: 0, redeemed: 1, consumptionFen: 5000, subsidyFen: 1001, leverage: 5, redemptionRate: null, residents: 1 });
    expect(district('cixi')).toMatchObject({ claimed: 0, redeemed: 0, leverage: null, residents: 0 });

    const campaign = (id: string) => report.byCampaign.find((row: { campaignId: string }) => row.campaignId === id);
    expect(campaign(campaignA.id)).toMatchObject({ offered: 20, claimed: 4, redeemed: 2, consumptionFen: 13000, subsidyFen: 2002, merchants: 2, residents: 2 });
    expect(campaign(campaignB.id)).toMatchObject({ offered: 10, claimed: 3, redeemed: 2, refunded: 1, consumptionFen: 20000, subsidyFen: 3000, merchants: 1, residents: 2 });
    expect(report.byVoucherType.map((row: { claimed: number }) => row.claimed).sort()).toEqual([3, 4]);
    expect(report.byCategory.map((row: { category: string; claimed: number; redeemed: number }) => [row.category, row.claimed, row.redeemed])).toEqual([
      ['dining', 3, 3],
      ['retail', 0, 1],
      ['综合', 4, 0],
    ]);

    const haishu = report.districts.find((detail: { district: string }) => detail.district === 'haishu');
    expect(haishu.byCampaign.map((row: { campaignId: string; claimed: number; redeemed: number }) => [row.campaignId, row.claimed, row.redeemed]).sort()).toEqual(
      [
        [campaignA.id, 0, 1],
        [campaignB.id, 3, 2],
      ].sort(),
    );
    expect(report.districts).toHaveLength(10);
  });

  it('live figures equal a recount from the raw tables and the reconciliation report of the day', async () => {
    const queue = settlement.get<Queue>(getQueueToken(SETTLEMENT_QUEUE));
    const job = await queue.add(SettlementJob.RecountFigures, {});
    await until('the recount to run', async () => ((await job.getState()) === 'completed' ? true : undefined), 30_000, 50);
    expect((await Job.fromId(queue, job.id as string))?.returnvalue).toMatchObject({ to: today, mismatches: 0 });
    expect(await worker.get(WorkerMetrics).registry.getSingleMetricAsString('figures_recount_mismatches')).toMatch(/^figures_recount_mismatches(\{[^}]*\})? 0$/m);

    const report = (await figures('').expect(200)).body;
    const reconciliation = (await api().get(`/v1/settlement/reconciliation?from=${today}&to=${today}`).set(cityOfficial(Role.FinanceOfficial)).expect(200)).body;
    expect(report.total.redeemed).toBe(reconciliation.redemptions.count);
    expect(report.total.subsidyFen).toBe(reconciliation.subsidy.total.netFen);
    expect(report.total.citySubsidyFen).toBe(reconciliation.subsidy.total.cityNetFen);
    expect(report.total.claimed).toBe(reconciliation.vouchers.claimed.count);
    for (const row of reconciliation.subsidy.byDistrict) {
      const district = report.byDistrict.find((entry: { district: string }) => entry.district === row.district);
      expect([district.redeemed, district.subsidyFen]).toEqual([row.redemptions, row.netFen]);
    }
  });

  it('daily series: every day of the range, the expiry on its own day', async () => {
    const report = (await figures(`?from=${yesterday}&to=${today}`).expect(200)).body;
    expect(report.byDay.map((day: { day: string; claimed: number; expired: number; redeemed: number }) => [day.day, day.claimed, day.expired, day.redeemed])).toEqual([
      [yesterday, 0, 1, 0],
      [today, 7, 0, 4],
    ]);
    expect(report.total).toMatchObject({ claimed: 7, expired: 1 });
    const allDistrict = report.byDistrict.find((row: { district: string }) => row.district === '全市');
    expect(allDistrict.expired).toBe(1);
    const haishu = report.districts.find((detail: { district: string }) => detail.district === 'haishu');
    expect(haishu.byDay.map((day: { day: string; redeemed: number }) => [day.day, day.redeemed])).toEqual([
      [yesterday, 0],
      [today, 3],
    ]);
    await figures(`?from=${today}&to=${yesterday}`).expect(400).expect((res) => expect(res.body.code).toBe('INVALID_RANGE'));
  });

  it('scoping: a district’s official sees the city’s totals and only their own district in detail; residents and staff nothing', async () => {
    const city = (await figures('').expect(200)).body;
    const scoped = (await figures('', districtOfficial('yinzhou')).expect(200)).body;
    expect(scoped.scopedTo).toBe('yinzhou');
    expect(scoped.total).toEqual(city.total);
    expect(scoped.byDay).toEqual(city.byDay);
    expect([scoped.byCampaign, scoped.byVoucherType, scoped.byDistrict, scoped.byCategory]).toEqual([[], [], [], []]);
    expect(scoped.districts.map((detail: { district: string }) => detail.district)).toEqual(['yinzhou']);
    expect(scoped.districts[0].total).toMatchObject({ redeemed: 1, consumptionFen: 5000 });

    const auditor = (await figures('', bearer(tokenFor({ role: Role.Auditor, district: 'cixi' }))).expect(200)).body;
    expect(auditor.districts).toHaveLength(10);

    const [resident] = await createVerifiedResidents(db, 1);
    for (const headers of [bearer(resident.token), bearer(a.cashierToken), bearer(a.adminToken)]) {
      await figures('', headers).expect(403);
      await api().get(`/v1/figures/league?period=month&start=${today.slice(0, 8)}01`).set(headers).expect(403);
    }
  });

  it('league table: districts ranked by consumption driven against their targets, set by a city-wide official (audited)', async () => {
    const start = mondayOf(today);
    const targets = {
      period: 'week',
      start,
      targets: [
        { district: 'haishu', consumptionFen: 56000, subsidyFen: 8000 },
        { district: 'yinzhou', consumptionFen: 5000, redeemed: 2 },
      ],
    };
    await api().put('/v1/figures/targets').set(districtOfficial('haishu')).send(targets).expect(403).expect((res) => expect(res.body.code).toBe('TARGETS_CITY_WIDE_ONLY'));
    await api().put('/v1/figures/targets').set(cityOfficial(Role.Auditor)).send(targets).expect(403);
    await api().put('/v1/figures/targets').set(cityOfficial()).send({ ...targets, start: dayAfter(start, 1) }).expect(400).expect((res) => expect(res.body.code).toBe('INVALID_PERIOD_START'));
    // A list inside the list: refused, not a district of null (a 500).
    for (const inner of [[[]], [targets.targets]]) {
      await api().put('/v1/figures/targets').set(cityOfficial()).send({ ...targets, targets: inner }).expect(400).expect((res) => expect(res.body.code).toBe('VALIDATION_FAILED'));
    }
    // 9999-12-27 is a Monday whose week ends in the year 10000: refused, as a table of it is (not a 500).
    await api().put('/v1/figures/targets').set(cityOfficial()).send({ ...targets, start: '9999-12-27' }).expect(400).expect((res) => expect(res.body.code).toBe('INVALID_PERIOD_START'));
    await api().get('/v1/figures/league?period=week&start=9999-12-27').set(cityOfficial()).expect(400).expect((res) => expect(res.body.code).toBe('INVALID_PERIOD_START'));
    await api().get('/v1/figures/league?period=month&start=9999-12-01').set(cityOfficial()).expect(200);
    const official = tokenFor({ role: Role.FinanceOfficial });
    const set = (await api().put('/v1/figures/targets').set(bearer(official)).send(targets).expect(200)).body;
    expect(set.targets).toEqual([
      { district: 'haishu', consumptionFen: 56000, subsidyFen: 8000, redeemed: null },
      { district: 'yinzhou', consumptionFen: 5000, subsidyFen: null, redeemed: 2 },
    ]);
    const [audited] = await db.query(`SELECT actor_role, target_id, detail FROM audit_log WHERE action = 'figures.targets.set'`);
    expect(audited).toMatchObject({ actor_role: 'finance_official', target_id: `week:${start}` });

    const table = (await api().get(`/v1/figures/league?period=week&start=${start}`).set(cityOfficial()).expect(200)).body;
    expect(table.rows).toHaveLength(10);
    expect(table.rows.slice(0, 3).map((row: { district: string; rank: number; consumptionFen: number; consumptionAttainment: number | null }) => [
      row.district,
      row.rank,
      row.consumptionFen,
      row.consumptionAttainment,
    ])).toEqual([
      ['haishu', 1, 28000, 0.5],
      ['yinzhou', 2, 5000, 1],
      ['beilun', 3, 0, null],
    ]);
    expect(table.rows.filter((row: { rank: number }) => row.rank === 3)).toHaveLength(8);
    expect(table.rows[0].targets).toEqual({ consumptionFen: 56000, subsidyFen: 8000, redeemed: null });
    expect(table.total.claimed).toBe(7);
    expect(table.districts).toHaveLength(10);

    const scoped = (await api().get(`/v1/figures/league?period=week&start=${start}`).set(districtOfficial('yinzhou')).expect(200)).body;
    expect(scoped.rows).toEqual(table.rows);
    expect(scoped.districts.map((detail: { district: string }) => detail.district)).toEqual(['yinzhou']);
  });

  it('league table downloads: CSV, and XLSX with a league sheet and a sheet per district', async () => {
    const start = mondayOf(today);
    const csv = await api().get(`/v1/figures/league?period=week&start=${start}&format=csv`).set(cityOfficial()).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n').map((line) => line.split(','));
    const header = lines[0];
    const consumption = header.indexOf('consumption_fen 拉动消费(分)');
    const haishuLeague = lines.find((line) => line[0] === 'league' && line[2] === 'haishu') as string[];
    expect([haishuLeague[1], haishuLeague[consumption]]).toEqual(['1', '28000']);
    const haishuToday = lines.find((line) => line[0] === 'day' && line[2] === 'haishu' && line[4] === today) as string[];
    expect(haishuToday[header.indexOf('redeemed 核销')]).toBe('3');

    const xlsx = await api()
      .get(`/v1/figures/league?period=week&start=${start}&format=xlsx`)
      .set(districtOfficial('haishu'))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    const body = xlsx.body as Buffer;
    await book.xlsx.load(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual([LEAGUE_SHEET, '海曙区']);
    const league = book.getWorksheet(LEAGUE_SHEET) as ExcelJS.Worksheet;
    const headers = (league.getRow(2).values as unknown[]).slice(1);
    const column = (name: string) => headers.indexOf(name) + 1;
    expect([league.getRow(3).getCell(1).value, league.getRow(3).getCell(2).value, league.getRow(3).getCell(column('consumption_fen 拉动消费(分)')).value]).toEqual([1, 'haishu', 28000]);
    expect(league.getRow(3).getCell(column('consumption_attainment 完成率')).value).toBe(0.5);
    expect(league.getRow(13).getCell(2).value).toBe('全市');
    expect(league.getRow(13).getCell(column('claimed 领取')).value).toBe(7);
    const haishu = book.getWorksheet('海曙区') as ExcelJS.Worksheet;
    const dayRows = haishu.getSheetValues().filter((row) => Array.isArray(row) && /^\d{4}-\d{2}-\d{2}$/.test(String(row[1]))) as unknown[][];
    const todayRow = dayRows.find((row) => row[1] === today) as unknown[];
    const dayHeaders = (haishu.getRow(2).values as unknown[]);
    expect(todayRow[dayHeaders.indexOf('redeemed 核销')]).toBe(3);
    expect(dayRows).toHaveLength(7);
  });

  it('business metrics: claims, redemptions and subsidy per active campaign on /metrics', async () => {
    const text = (await api().get('/metrics').expect(200)).text;
    expect(sampleOf(text, 'vouchers_claimed', { campaign: campaignA.id })).toBe(4);
    expect(sampleOf(text, 'vouchers_redeemed', { campaign: campaignB.id })).toBe(2);
    expect(sampleOf(text, 'vouchers_refunded', { campaign: campaignB.id })).toBe(1);
    // B: two redemptions of 3000 (1500 each to the city), one taken back by its refund.
    expect(sampleOf(text, 'voucher_subsidy_fen', { campaign: campaignB.id, share: 'city' })).toBe(1500);
    expect(sampleOf(text, 'voucher_subsidy_fen', { campaign: campaignA.id, share: 'district' })).toBe(1002);
  });

  it('concurrent grabs and scans at two tills keep the totals exact', async () => {
    const campaign = await createActiveCampaign(rig.issuance, { faceValueFen: 1000, categories: ['dining', 'retail'], quantity: [30] });
    const residents = await createVerifiedResidents(db, 12);
    const vouchers = await Promise.all(residents.map((resident) => grabVoucher(rig.issuance, resident, campaign.rounds[0])));
    const codes = await Promise.all(residents.map((resident, i) => rig.code(resident, vouchers[i])));
    await Promise.all(codes.map((code, i) => rig.scan(i % 2 === 0 ? a : b, code, 5000).expect(201)));

    const campaignRow = async () => (await figures('').expect(200)).body.byCampaign.find((entry: { campaignId: string }) => entry.campaignId === campaign.id);
    // The additive figures at once; today's distinct parties once their stored counts are next counted (OPEN_DAY_REFRESH_MS).
    expect(await campaignRow()).toMatchObject({ claimed: 12, redeemed: 12, consumptionFen: 60000, subsidyFen: 12000 });
    const row = await until('today’s parties counted again', async () => {
      const found = await campaignRow();
      return found.residents === 12 ? found : undefined;
    }, 15_000, 250);
    expect(row).toMatchObject({ claimed: 12, redeemed: 12, merchants: 2, residents: 12 });
    expect((await worker.get(FiguresRecount).run()).mismatches).toBe(0);
  });

  it('expiry: a voucher counts on its expiry day while it is expired, and moves with it', async () => {
    const expiredOn = async () =>
      (await figures(`?from=${yesterday}&to=${today}`).expect(200)).body.byDay.map((day: { expired: number }) => day.expired);
    expect(await expiredOn()).toEqual([1, 0]);
    await db.query(`UPDATE vouchers SET expires_at = ($2::date + time '09:00') AT TIME ZONE 'Asia/Shanghai' WHERE public_id = $1`, [expiredVoucher, today]);
    expect(await expiredOn()).toEqual([0, 1]);
    await db.query(`UPDATE vouchers SET status = 'claimed' WHERE public_id = $1`, [expiredVoucher]);
    expect(await expiredOn()).toEqual([0, 0]);
    expect((await worker.get(FiguresRecount).run()).mismatches).toBe(0);
  });

  it('keeps a redemption and its refund where the merchant was when it redeemed: its refund gives back to that district’s budget, and the recount and reconciliation agree after the merchant moved', async () => {
    const till = await rig.till({ district: 'cixi', category: 'dining' });
    const campaign = await createActiveCampaign(rig.issuance, { faceValueFen: 1000, thresholdFen: 4000, categories: ['dining', 'retail'], quantity: [2] });
    const redemptions: string[] = [];
    for (const resident of await createVerifiedResidents(db, 2)) {
      redemptions.push(await redeem(resident, await grabVoucher(rig.issuance, resident, campaign.rounds[0]), till, 8000));
    }
    // The registry's import moves it (merchant-batch.sql.ts writes these columns), then a customer brings the goods back.
    await db.query(`UPDATE merchants SET district = 'yinzhou', category = 'retail' WHERE public_id = $1`, [till.merchantId]);
    const refund = (await rig.refund(till, redemptions[0], 8000).expect(201)).body.refundId as string;
    const budgets = await db.query(`SELECT account FROM ledger_entries WHERE ref_id = $1 AND account LIKE 'budget:district:%'`, [refund]);
    expect(budgets).toEqual([{ account: 'budget:district:cixi' }]);
    expect(await db.query('SELECT merchant_district AS district, merchant_category AS category FROM refunds WHERE public_id = $1', [refund])).toEqual([
      { district: 'cixi', category: 'dining' },
    ]);
    expect((await worker.get(FiguresRecount).run()).mismatches).toBe(0);
    const reconciliation = (await api().get(`/v1/settlement/reconciliation?from=${today}&to=${today}`).set(cityOfficial(Role.FinanceOfficial)).expect(200)).body;
    for (const check of ['postings', 'redemptions', 'refunds']) expect(reconciliation.checks[check]).toMatchObject({ count: 0 });
    expect(reconciliation.subsidy.byFundingSource.find((row: { source: string }) => row.source === 'district:cixi')).toMatchObject({ differenceFen: 0 });
  });

  it('closed periods: the stored distinct parties equal the recount and a live count, and closing again changes nothing', async () => {
    const later = new Date(Date.parse(`${dayAfter(today, 40)}T04:00:00Z`));
    const [day, week, month] = (['day', 'week', 'month'] as const).map((kind) => periodOf(kind, today));
    const counts = worker.get(PartyCounts);
    expect(await counts.close({ from: today, to: today }, later)).toMatchObject({ periods: 3, counted: 3, totalsStored: 3 });
    const stored = () =>
      db.query(`SELECT period, to_char(period_start, 'YYYY-MM-DD') AS start, dimension, district, campaign_id, voucher_type_id, category, residents, merchants
                  FROM figures_party_counts WHERE period_start <= $1::date ORDER BY 1, 2, 3, 4, 5, 6, 7`, [today]);
    const first = await stored();
    // The mixed day's R1, R2 and R5 and the twelve of the concurrent scans, at a and b, and the two of the merchant that moved; each period holds just today.
    for (const period of [day, week, month]) {
      expect(first.find((row: { period: string; dimension: string }) => row.period === period.kind && row.dimension === 'total')).toMatchObject({
        start: period.start,
        residents: '17',
        merchants: '3',
      });
    }

    const widest = { from: [week.start, month.start].sort()[0], to: [week.end, month.end].sort()[1] };
    const recount = await worker.get(FiguresRecount).run(widest, later);
    expect(recount).toMatchObject({ mismatches: 0, periodMismatches: 0 });

    // The month read from its stored counts equals the same days counted at read time (a range of no whole period).
    const reader = settlement.get(ReadFigures);
    const fromStored = (await reader.read({ from: month.start, to: month.end }, undefined, later)).rows;
    const counted = (await reader.read({ from: month.start, to: dayAfter(month.end, 1) }, undefined, later)).rows;
    const monthDays = Array.from({ length: Number(month.end.slice(8)) }, (_, i) => dayAfter(month.start, i));
    expect(fromStored.total()).toEqual(counted.total());
    expect(fromStored.byDistrict()).toEqual(counted.byDistrict());
    expect(fromStored.byCampaign()).toEqual(counted.byCampaign());
    expect(fromStored.byCategory()).toEqual(counted.byCategory());
    expect(fromStored.detail('haishu', monthDays)).toEqual(counted.detail('haishu', monthDays));
    expect(fromStored.byDay(monthDays)).toEqual(counted.byDay(monthDays));

    // Closing again (as a retried or overlapping nightly job would) counts nothing and changes no row.
    expect(await counts.close({ from: today, to: today }, later)).toMatchObject({ periods: 3, counted: 0, totalsStored: 0 });
    expect(await stored()).toEqual(first);

    // A stored count the raw rows do not bear out is a mismatch.
    await db.query(`UPDATE figures_party_counts SET residents = residents + 1 WHERE period = 'month' AND dimension = 'total'`);
    expect(await worker.get(FiguresRecount).run(widest, later)).toMatchObject({ mismatches: 1, periodMismatches: 1 });
    await db.query(`UPDATE figures_party_counts SET residents = residents - 1 WHERE period = 'month' AND dimension = 'total'`);
  });

  it('closed periods: the stored additive totals equal the recount, a closed month reads as the sum of its days, and a late expiry is stored again', async () => {
    const later = new Date(Date.parse(`${dayAfter(today, 40)}T04:00:00Z`));
    const [week, month] = (['week', 'month'] as const).map((kind) => periodOf(kind, today));
    const widest = { from: [week.start, month.start].sort()[0], to: [week.end, month.end].sort()[1] };
    const recount = worker.get(FiguresRecount);
    const reader = settlement.get(ReadFigures);
    const monthDays = Array.from({ length: Number(month.end.slice(8)) }, (_, i) => dayAfter(month.start, i));
    const storedTotal = async (period: string) =>
      (
        await db.query(`SELECT redeemed, order_amount_fen, expired FROM figures_period_totals WHERE period = $1 AND period_start <= $2::date AND dimension = 'total' ORDER BY period_start DESC LIMIT 1`, [period, today])
      )[0] as { redeemed: string; order_amount_fen: string; expired: string };

    // The mixed day, the concurrent scans and the merchant that moved: 18 redeemed on today, stored for its day, week and month alike.
    expect(await recount.run(widest, later)).toMatchObject({ mismatches: 0, periodMismatches: 0 });
    for (const period of ['day', 'week', 'month']) expect(await storedTotal(period)).toMatchObject({ redeemed: '18' });

    // The month's additive figures, read from its stored totals, are the sum of its days', each read on its own.
    const additive = ['offered', 'claimed', 'claimedFen', 'redeemed', 'refunded', 'expired', 'orderAmountFen', 'refundAmountFen', 'consumptionFen', 'subsidyFen'] as const;
    const sumOfDays = Object.fromEntries(additive.map((name) => [name, 0])) as Record<(typeof additive)[number], number>;
    for (const day of monthDays) {
      const total = (await reader.read({ from: day, to: day }, undefined, later)).rows.total();
      for (const name of additive) sumOfDays[name] += total[name];
    }
    const monthRead = (await reader.read({ from: month.start, to: month.end }, undefined, later)).rows;
    expect(monthRead.total()).toMatchObject(sumOfDays);
    expect(sumOfDays.redeemed).toBe(18);
    expect(monthRead.byDay(monthDays).reduce((sum, day) => sum + day.redeemed, 0)).toBe(18);

    // An expiry landing on a closed day (the hourly run, or a refund of an expired voucher's redemption) marks its periods stale; the next read stores them again.
    const expiredInMonth = () => reader.read({ from: month.start, to: month.end }, undefined, later).then((read) => read.rows.total().expired);
    const before = await expiredInMonth();
    await db.query(`UPDATE vouchers SET status = 'expired' WHERE public_id = $1`, [expiredVoucher]);
    expect(await expiredInMonth()).toBe(before + 1);
    // The month's read stored the month and the day again; the nightly close stores the week.
    expect(await counts(later)).toMatchObject({ totalsStored: 1 });
    expect(await storedTotal('week')).toMatchObject({ expired: (await storedTotal('day')).expired });
    await db.query(`UPDATE vouchers SET status = 'claimed' WHERE public_id = $1`, [expiredVoucher]);
    expect(await counts(later)).toMatchObject({ totalsStored: 3 });
    expect(await expiredInMonth()).toBe(before);
    expect(await recount.run(widest, later)).toMatchObject({ mismatches: 0, periodMismatches: 0 });

    // A stored total its days do not bear out is a mismatch.
    await db.query(`UPDATE figures_period_totals SET redeemed = redeemed + 1 WHERE period = 'month' AND dimension = 'total'`);
    const differing = await recount.run(widest, later);
    expect(differing).toMatchObject({ mismatches: 1, periodMismatches: 1 });
    expect(differing.periodTotalDifferences[0]).toMatchObject({ period: 'month', dimension: 'total', figures: { redeemed: { counted: 18, kept: 19 } } });
    await db.query(`UPDATE figures_period_totals SET redeemed = redeemed - 1 WHERE period = 'month' AND dimension = 'total'`);

    function counts(now: Date) {
      return worker.get(PartyCounts).close({ from: today, to: today }, now);
    }
  });

  it('closing cut short by Postgres (its session ended mid-run) is finished by the next close, nothing counted twice', async () => {
    // A day well ahead, its periods untouched by the other tests, all closed by `later`.
    const day = dayAfter(today, 50);
    const later = new Date(Date.parse(`${dayAfter(today, 100)}T04:00:00Z`));
    const [dayPeriod, week, month] = (['day', 'week', 'month'] as const).map((kind) => periodOf(kind, day));
    const counts = worker.get(PartyCounts);
    const holder = new Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    try {
      // The week's counting waits on its period lock, held here; then its session is ended, as a Postgres restart would.
      await holder.query('BEGIN');
      await holder.query(`SELECT pg_advisory_xact_lock(hashtext('figures_party_counts'), hashtext($1 || ':' || $2))`, ['week', week.start]);
      const closing = counts.close({ from: day, to: day }, later);
      await waitUntilBlockedBy(db, holder);
      expect(await endSessionsBlockedBy(db, holder)).toEqual([true]);
      await expect(closing).rejects.toThrow();
      await holder.query('ROLLBACK');
    } finally {
      await holder.end();
    }
    const state = () =>
      db.query(
        `SELECT period, closed FROM figures_party_periods
          WHERE (period = 'day' AND period_start = $1::date) OR (period = 'week' AND period_start = $2::date) OR (period = 'month' AND period_start = $3::date)
          ORDER BY period`,
        [dayPeriod.start, week.start, month.start],
      );
    // The day was closed in its own transaction before the cut; the week and month not.
    expect(await state()).toEqual([{ period: 'day', closed: true }]);

    expect(await counts.close({ from: day, to: day }, later)).toMatchObject({ periods: 3, counted: 2, totalsStored: 3 });
    expect(await state()).toEqual([
      { period: 'day', closed: true },
      { period: 'month', closed: true },
      { period: 'week', closed: true },
    ]);
    const widest = { from: [week.start, month.start].sort()[0], to: [week.end, month.end].sort()[1] };
    expect(await worker.get(FiguresRecount).run(widest, later)).toMatchObject({ mismatches: 0, periodMismatches: 0 });
    expect(await counts.close({ from: day, to: day }, later)).toMatchObject({ periods: 3, counted: 0, totalsStored: 0 });
  });

  it('the recount job raises its metric when the running totals differ from the raw tables', async () => {
    await db.query(
      `UPDATE figures_days SET redeemed = redeemed + 1
        WHERE ctid = (SELECT ctid FROM figures_days WHERE district = 'yinzhou' AND redeemed > 0 LIMIT 1)`,
    );
    const queue = settlement.get<Queue>(getQueueToken(SETTLEMENT_QUEUE));
    const job = await queue.add(SettlementJob.RecountFigures, {});
    await until('the recount to run', async () => ((await job.getState()) === 'completed' ? true : undefined), 30_000, 50);
    const result = (await Job.fromId(queue, job.id as string))?.returnvalue as { mismatches: number; periodMismatches: number };
    // The key, and each stored total holding it of a closed period within the recount's days (today is closed here, by
    // the tests above as of 40 days on): the day's eight groupings, and its week's or month's when they end today.
    expect(result.periodMismatches % 8).toBe(0);
    expect(result.periodMismatches).toBeGreaterThanOrEqual(8);
    expect(result.mismatches).toBe(1 + result.periodMismatches);
    const metric = await worker.get(WorkerMetrics).registry.getSingleMetricAsString('figures_recount_mismatches');
    expect(metric).toMatch(new RegExp(`^figures_recount_mismatches(\\{[^}]*\\})? ${result.mismatches}$`, 'm'));
  });
});
