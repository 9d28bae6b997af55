import { Role } from '@vouchers/auth';
import { newPublicId } from '@vouchers/common';
import { LogSmsSender } from '@vouchers/otp';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { admissionKeys } from '../apps/issuance/src/claims/admission-keys';
import { drawOrder } from '../apps/issuance/src/lottery/lottery-hashes';
import { RANKED_ENTRANTS } from '../apps/issuance/src/lottery/lottery.sql';
import { LotteryWonNotices } from '../apps/settlement/src/reminders/lottery-won-notices';
import { testConfig } from './support/apps';
import { campaignBody } from './support/campaigns';
import { waitUntilBlockedBy } from './support/database';
import { expectCode, GrabRig, RigAnswer as Answer } from './support/grab-rig';
import { randomPhoneStarting } from './support/merchant-accounts';
import { readyOfficial } from './support/officials';
import { createVerifiedResidents, TestResident } from './support/residents';
import { tokenFor } from './support/tokens';

const VERIFY = join(__dirname, '..', 'dist/scripts/lottery-verify.js');
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const official = (sub = newPublicId()) => tokenFor({ role: Role.CommerceOfficial, sub }, { expiresIn: 3600 });
/** The public value source every lottery round of these tests names. */
const SOURCE = '上海证券交易所公布的 2026-12-10 上证指数收盘点数';

/**
 * Lottery rounds (摇号) against real Postgres and Redis: sign-up, the frozen list, the public
 * value on four eyes, the draw and its vouchers, and the verify script on the published files.
 * The sign-up window is moved in the database rather than waited for.
 */
describe('lottery rounds', () => {
  const rig = new GrabRig();
  let db: DataSource;

  beforeAll(async () => {
    ({ db } = await rig.start());
  });

  afterAll(async () => {
    await rig.stop();
  });

  const call = (method: string, path: string, token?: string, body?: unknown) => rig.call(method, path, token, body);

  /** An active campaign of one lottery round (sign-up in an hour) and one grab round, open now; per-person limit 1. */
  async function lotteryCampaign(quantity: number): Promise<{ campaignId: string; lottery: string; grab: string }> {
    const token = official();
    const hourAhead = new Date(Date.now() + 3_600_000);
    const created = await call(
      'POST',
      '/v1/admin/campaigns',
      token,
      campaignBody({
        quantity: [20, quantity],
        budgetFen: 1_000_000,
        rounds: [
          {},
          {
            kind: 'lottery',
            opensAt: new Date(Date.now() + 7_200_000).toISOString(),
            signupOpensAt: hourAhead.toISOString(),
            signupClosesAt: new Date(hourAhead.getTime() + 3_600_000).toISOString(),
            publicValueSource: SOURCE,
          },
        ],
      }),
    );
    expect(created.status).toBe(201);
    const campaignId = created.body.id as string;
    for (const to of ['scheduled', 'active']) expect((await call('POST', `/v1/admin/campaigns/${campaignId}/transitions`, token, { to })).status).toBe(200);
    const rounds: Array<{ public_id: string; kind: string }> = await db.query(
      `SELECT r.public_id, r.kind FROM rounds r JOIN campaigns c ON c.id = r.campaign_id WHERE c.public_id = $1`,
      [campaignId],
    );
    const idOf = (kind: string) => rounds.find((round) => round.kind === kind)?.public_id as string;
    return { campaignId, lottery: idOf('lottery'), grab: idOf('grab') };
  }

  /** A campaign of one voucher a round at 10 fen, each round opening 2026-12-01 10:00 (Beijing) with `rounds`' fields: for the checks of a round's fields. */
  const refusalBody = (rounds: Array<Record<string, unknown>>, name?: string) =>
    campaignBody({ name, quantity: rounds.map(() => 1), faceValueFen: 10, budgetFen: 100_000, opensAt: new Date('2026-12-01T02:00:00Z'), rounds });

  const openSignup = (roundId: string) =>
    db.query(`UPDATE rounds SET signup_opens_at = now() - interval '1 minute' WHERE public_id = $1`, [roundId]);
  const closeSignup = (roundId: string) =>
    db.query(`UPDATE rounds SET signup_closes_at = now() - interval '1 millisecond' WHERE public_id = $1`, [roundId]);
  const signUp = (resident: TestResident, roundId: string) => call('POST', `/v1/rounds/${roundId}/entries`, resident.token);

  /** The residents signed up, sign-up closed, and the public value agreed by two officials: the first official's token, to draw. */
  async function readyToDraw(lottery: string, residents: TestResident[], value: string): Promise<string> {
    await openSignup(lottery);
    for (const resident of residents) expect((await signUp(resident, lottery)).status).toBe(200);
    await closeSignup(lottery);
    const [first, second] = [official(), official()];
    for (const token of [first, second]) {
      expect((await call('POST', `/v1/admin/rounds/${lottery}/lottery/public-value`, token, { value })).status).toBe(200);
    }
    return first;
  }

  it('refuses a lottery round without its sign-up window, and a grab round with one', async () => {
    const body = (round: Record<string, unknown>) => refusalBody([round]);
    const token = official();
    expectCode(await call('POST', '/v1/admin/campaigns', token, body({ kind: 'lottery', signupOpensAt: '2026-11-30T02:00:00Z' })), 400, 'SIGNUP_WINDOW_INVALID');
    expectCode(
      await call('POST', '/v1/admin/campaigns', token, body({ kind: 'lottery', signupOpensAt: '2026-11-30T02:00:00Z', signupClosesAt: '2026-11-29T02:00:00Z' })),
      400,
      'SIGNUP_WINDOW_INVALID',
    );
    expectCode(await call('POST', '/v1/admin/campaigns', token, body({ signupOpensAt: '2026-11-30T02:00:00Z', signupClosesAt: '2026-11-30T03:00:00Z' })), 400, 'SIGNUP_WINDOW_INVALID');
  });

  it("refuses a lottery round that does not name its public value's source, and a grab round that does; nothing is written", async () => {
    const name = `sources ${Date.now()}`;
    const lottery = { kind: 'lottery', signupOpensAt: '2026-11-30T02:00:00Z', signupClosesAt: '2026-11-30T12:00:00Z' };
    const body = (rounds: Array<Record<string, unknown>>) => refusalBody(rounds, name);
    const token = official();
    const missing = await call('POST', '/v1/admin/campaigns', token, body([{}, lottery]));
    expectCode(missing, 400, 'PUBLIC_VALUE_SOURCE_INVALID');
    expect(missing.body.details).toEqual({ field: 'voucherTypes.0.rounds.1.publicValueSource' });
    const onGrab = await call('POST', '/v1/admin/campaigns', token, body([{ publicValueSource: SOURCE }, { ...lottery, publicValueSource: SOURCE }]));
    expectCode(onGrab, 400, 'PUBLIC_VALUE_SOURCE_INVALID');
    expect(onGrab.body.details).toEqual({ field: 'voucherTypes.0.rounds.0.publicValueSource' });
    // One a spreadsheet opening the entrants file would run as a formula (full-width too: compared as NFKC).
    for (const publicValueSource of ['=HYPERLINK("http://x","上证指数")', ' +1', '＠SUM(A1)']) {
      const formula = await call('POST', '/v1/admin/campaigns', token, body([{ ...lottery, publicValueSource }]));
      expectCode(formula, 400, 'PUBLIC_VALUE_SOURCE_INVALID');
      expect(formula.body.details).toEqual({ field: 'voucherTypes.0.rounds.0.publicValueSource' });
    }
    // Blank (trimmed to nothing), invisible, or longer than 200: the field's own checks.
    for (const publicValueSource of ['   ', '\u200b', 'x'.repeat(201), 42]) {
      const refused = await call('POST', '/v1/admin/campaigns', token, body([{ ...lottery, publicValueSource }]));
      expectCode(refused, 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(refused.body.details)).toContain('voucherTypes.0.rounds.0.publicValueSource');
    }
    const [{ campaigns }] = await db.query(`SELECT count(*)::int AS campaigns FROM campaigns WHERE name = $1`, [name]);
    expect(campaigns).toBe(0);

    // Trimmed, stored with the round's commitment, and fixed: the table refuses a change.
    const created = await call('POST', '/v1/admin/campaigns', token, body([{ ...lottery, publicValueSource: `  ${SOURCE} ` }]));
    expect(created.status).toBe(201);
    const [draw] = await db.query(
      `SELECT d.round_id, d.public_value_source FROM lottery_draws d JOIN rounds r ON r.id = d.round_id JOIN campaigns c ON c.id = r.campaign_id WHERE c.public_id = $1`,
      [created.body.id],
    );
    expect(draw.public_value_source).toBe(SOURCE);
    await expect(db.query(`UPDATE lottery_draws SET public_value_source = 'another index' WHERE round_id = $1`, [draw.round_id])).rejects.toThrow(/fixed at its creation/);
  });

  it('takes sign-ups only inside the window, from verified residents, one entry each however often they tap', async () => {
    const { lottery, grab } = await lotteryCampaign(5);
    const residents = await createVerifiedResidents(db, 150);
    expectCode(await signUp(residents[0], lottery), 409, 'SIGNUP_NOT_OPEN');
    await openSignup(lottery);
    const unverified = { id: newPublicId(), token: tokenFor({ role: Role.Resident, verified: false }) };
    expectCode(await signUp(unverified, lottery), 403, 'REAL_NAME_REQUIRED');
    expectCode(await signUp(residents[0], grab), 409, 'NOT_A_LOTTERY');
    expectCode(await rig.grab(residents[0], lottery) as unknown as Answer, 409, 'ROUND_IS_LOTTERY');

    // Every resident taps twice at once: 300 concurrent sign-ups, 150 entries.
    const answers = await Promise.all([...residents, ...residents].map((resident) => signUp(resident, lottery)));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    const [{ count }] = await db.query(
      `SELECT count(*)::int AS count FROM lottery_entries e JOIN rounds r ON r.id = e.round_id WHERE r.public_id = $1`,
      [lottery],
    );
    expect(count).toBe(150);
    const again = await signUp(residents[7], lottery);
    expect(again.body.entryHash).toBe(answers[7].body.entryHash);
    expect(again.body.entryHash).toBe(answers[157].body.entryHash);

    await closeSignup(lottery);
    expectCode(await signUp(residents[0], lottery), 409, 'SIGNUP_CLOSED');
    expectCode(await signUp((await createVerifiedResidents(db, 1))[0], lottery), 409, 'SIGNUP_CLOSED');
  });

  it("says in the round's view when its campaign is paused: no sign-up then, the entries kept, sign-ups again once resumed", async () => {
    const { campaignId, lottery } = await lotteryCampaign(2);
    const [early, late] = await createVerifiedResidents(db, 2);
    const view = async () => (await call('GET', `/v1/rounds/${lottery}/lottery`)).body;
    const move = async (to: string) => expect((await call('POST', `/v1/admin/campaigns/${campaignId}/transitions`, official(), { to })).status).toBe(200);
    await openSignup(lottery);
    expect(await view()).toMatchObject({ stage: 'signup_open', campaignStatus: 'active' });
    const entered = await signUp(early, lottery);
    expect(entered.status).toBe(200);

    await move('paused');
    expect(await view()).toMatchObject({ stage: 'signup_open', campaignStatus: 'paused' });
    const refused = await signUp(late, lottery);
    expectCode(refused, 409, 'CAMPAIGN_NOT_ACTIVE');
    expect(refused.body.details).toEqual({ status: 'paused' });
    const mine = await call('GET', `/v1/rounds/${lottery}/entries/mine`, early.token);
    expect([mine.status, mine.body.entryHash, mine.body.status]).toEqual([200, entered.body.entryHash, 'pending']);

    await move('active');
    expect((await view()).campaignStatus).toBe('active');
    expect((await signUp(late, lottery)).status).toBe(200);

    // /docs names the statuses a client must expect.
    const document = (await (await fetch(`${rig.base}/docs-json`)).json()) as {
      components: { schemas: Record<string, { required: string[]; properties: Record<string, { enum?: string[] }> }> };
    };
    const schema = document.components.schemas.LotteryView;
    expect(schema.required).toContain('campaignStatus');
    expect(schema.properties.campaignStatus.enum).toEqual(['scheduled', 'active', 'paused', 'ended']);
  });

  it('draws verifiably: commitment before sign-up, frozen list, four-eyes value, winners and skips, vouchers in Postgres and Redis', async () => {
    const { campaignId, lottery, grab } = await lotteryCampaign(4);
    const residents = await createVerifiedResidents(db, 8);

    // Published before sign-up opens: the commitment, the salt.
    const before = await call('GET', `/v1/rounds/${lottery.toUpperCase()}/lottery`);
    expect(before.status).toBe(200);
    expect(before.body.stage).toBe('signup_pending');
    // The source of the public value is published with the commitment, before anyone signs up.
    expect(before.body.publicValueSource).toBe(SOURCE);
    const listing = await call('GET', '/v1/campaigns?limit=200');
    const listed = (listing.body.items as Array<{ id: string; voucherTypes: Array<{ rounds: Array<Record<string, unknown>> }> }>)
      .find((campaign) => campaign.id === campaignId)
      ?.voucherTypes[0].rounds.find((round) => round.id === lottery);
    expect([listed?.kind, listed?.signupOpensAt]).toEqual(['lottery', before.body.signupOpensAt]);
    const commitment = before.body.commitment as string;
    const salt = before.body.salt as string;
    expect(commitment).toMatch(/^[0-9a-f]{64}$/);

    await openSignup(lottery);
    for (const resident of residents) expect((await signUp(resident, lottery)).status).toBe(200);
    // Five entrants already hold the campaign's one voucher a person may have: they cannot receive.
    const overLimit = residents.slice(0, 5);
    for (const resident of overLimit) expect((await rig.grab(resident, grab)).status).toBe(201);

    const [first, second, third] = [official(), official(), official()];
    expectCode(await call('GET', `/v1/rounds/${lottery}/lottery/entrants`), 409, 'SIGNUP_STILL_OPEN');
    expectCode(await call('POST', `/v1/admin/rounds/${lottery}/lottery/public-value`, first, { value: 'early' }), 409, 'SIGNUP_STILL_OPEN');
    await closeSignup(lottery);

    // The frozen list: every entrant's hash under the round's salt, and its digest.
    const entrants = await call('GET', `/v1/rounds/${lottery}/lottery/entrants`);
    expect(entrants.status).toBe(200);
    const hashOf = (resident: TestResident) => sha256(`${salt}${resident.id}`);
    expect([...(entrants.body.entrants as string[])].sort()).toEqual(residents.map(hashOf).sort());
    const digest = sha256([salt, ...residents.map(hashOf).sort()].map((line) => `${line}\n`).join(''));
    expect([entrants.body.count, entrants.body.digest]).toEqual([8, digest]);
    // The list names the source whose value will draw it, as announced before sign-up.
    expect(entrants.body.publicValueSource).toBe(SOURCE);
    const mine = await call('GET', `/v1/rounds/${lottery}/entries/mine`, residents[6].token);
    expect([mine.body.entryHash, mine.body.commitment, mine.body.status]).toEqual([hashOf(residents[6]), commitment, 'pending']);

    // The public value: proposed by one official, confirmed by another with the same value.
    const publicValue = (token: string, value: string) => call('POST', `/v1/admin/rounds/${lottery}/lottery/public-value`, token, { value });
    expectCode(await call('POST', `/v1/admin/rounds/${lottery}/lottery/draw`, first), 409, 'PUBLIC_VALUE_MISSING');
    expect((await publicValue(first, 'SSE close 3412.57')).body.state).toBe('proposed');
    expect((await publicValue(first, 'SSE close 3412.57')).body.state).toBe('proposed');
    expectCode(await publicValue(second, 'SSE close 3412.58'), 409, 'PUBLIC_VALUE_MISMATCH');
    expectCode(await call('POST', `/v1/admin/rounds/${lottery}/lottery/draw`, first), 409, 'PUBLIC_VALUE_MISSING');
    const confirmed = await publicValue(second, 'SSE close 3412.57');
    expect([confirmed.status, confirmed.body.state]).toEqual([200, 'confirmed']);
    expectCode(await publicValue(third, 'other'), 409, 'PUBLIC_VALUE_SETTLED');
    expectCode(await call('GET', `/v1/rounds/${lottery}/lottery/results`), 409, 'LOTTERY_NOT_DRAWN');
    // Nothing published before the draw gives the seed away.
    const [{ seed }] = await db.query(`SELECT seed FROM lottery_seeds s JOIN rounds r ON r.id = s.round_id WHERE r.public_id = $1`, [lottery]);
    const beforeDraw = [before, entrants, mine, confirmed, await call('GET', `/v1/rounds/${lottery}/lottery`)];
    expect(beforeDraw.some((answer) => JSON.stringify(answer.body).includes(seed))).toBe(false);

    // Four winnable vouchers, three eligible entrants: three winners, the five others skipped with their reason.
    const drawn = await call('POST', `/v1/admin/rounds/${lottery}/lottery/draw`, third);
    expect(drawn.status).toBe(200);
    expect([drawn.body.winners, drawn.body.skipped, drawn.body.entrants]).toEqual([3, 5, 8]);
    const results = await call('GET', `/v1/rounds/${lottery}/lottery/results`);
    expect(results.status).toBe(200);
    expect(results.body.seed).toBe(seed);
    expect(sha256(Buffer.from(results.body.seed as string, 'hex'))).toBe(commitment);
    const audited = await db.query(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id`, [lottery]);
    expect(audited.map((row: { action: string }) => row.action)).toEqual([
      'lottery.public_value.propose',
      'lottery.public_value.propose',
      'lottery.public_value.confirm',
      'lottery.draw',
    ]);
    expect([results.body.publicValue, results.body.publicValueSource, results.body.entrantsDigest]).toEqual(['SSE close 3412.57', SOURCE, digest]);
    const winners = (results.body.winners as Array<{ entryHash: string }>).map((winner) => winner.entryHash);
    expect(winners.sort()).toEqual(residents.slice(5).map(hashOf).sort());
    const skips = results.body.skips as Array<{ entryHash: string; reason: string }>;
    expect(skips.map((skip) => skip.entryHash).sort()).toEqual(overLimit.map(hashOf).sort());
    expect(skips.every((skip) => skip.reason === 'per_person_limit')).toBe(true);

    // The winners' vouchers: in Postgres (counted by rounds.issued) and in the admission state in Redis.
    const rows = await rig.rowsOf(lottery);
    expect(rows.map((row) => row.resident).sort()).toEqual(residents.slice(5).map((r) => r.id).sort());
    const [{ issued }] = await db.query(`SELECT issued FROM rounds WHERE public_id = $1`, [lottery]);
    expect(issued).toBe(3);
    for (const row of rows) {
      expect(await rig.redis.hget(`${rig.prefix}{cmp:${campaignId}}:person:${row.resident}`, `r:${lottery}`)).toBe(row.public_id);
    }
    // A winner now at the limit is refused a grab by Redis, which knows of the drawn voucher.
    expectCode(await rig.grab(residents[5], grab) as unknown as Answer, 409, 'ALREADY_CLAIMED');

    // Each resident sees how they fared.
    const won = await call('GET', `/v1/rounds/${lottery}/entries/mine`, residents[5].token);
    expect([won.body.status, won.body.voucherId]).toEqual(['won', rows.find((row) => row.resident === residents[5].id)?.public_id]);
    const skipped = await call('GET', `/v1/rounds/${lottery}/entries/mine`, residents[0].token);
    expect([skipped.body.status, skipped.body.skipReason]).toEqual(['skipped', 'per_person_limit']);
    const stranger = await createVerifiedResidents(db, 1);
    expectCode(await call('GET', `/v1/rounds/${lottery}/entries/mine`, stranger[0].token), 404, 'LOTTERY_NOT_ENTERED');

    // Drawing again answers the same draw and issues nothing more.
    const again = await call('POST', `/v1/admin/rounds/${lottery}/lottery/draw`, first);
    expect([again.status, again.body.winners, again.body.skipped]).toEqual([200, 3, 5]);
    expect(await rig.rowsOf(lottery)).toHaveLength(3);

    // The verify script, run on the downloaded files alone.
    const dir = mkdtempSync(join(tmpdir(), 'lottery-'));
    try {
      const writeText = (name: string, text: string) => {
        writeFileSync(join(dir, name), text);
        return join(dir, name);
      };
      const write = (name: string, body: unknown) => writeText(name, JSON.stringify(body));
      const verify = (entrantsFile: string, resultsFile: string) =>
        spawnSync(process.execPath, [VERIFY, '--entrants', entrantsFile, '--results', resultsFile], { encoding: 'utf8', timeout: 20_000 });
      const entrantsFile = write('entrants.json', entrants.body);
      const resultsFile = write('results.json', results.body);
      const ok = verify(entrantsFile, resultsFile);
      expect([ok.status, ok.stdout]).toEqual([0, expect.stringContaining('OK')]);
      // What no script can check is said, for a person to look up: the value at its announced source.
      expect(ok.stdout).toContain(`"SSE close 3412.57" is what this source gave: ${SOURCE}`);
      // The same list downloaded as CSV.
      const csv = await fetch(`${rig.base}/v1/rounds/${lottery}/lottery/entrants?format=csv`);
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      const csvText = await csv.text();
      const csvFile = join(dir, 'entrants.csv');
      writeFileSync(csvFile, csvText);
      const [header, facts] = csvText.split('\n');
      expect(header).toBe('round_id,commitment,salt,count,digest,frozen_at,public_value_source');
      expect(facts).toBe(`${lottery},${commitment},${salt},8,${digest},${entrants.body.frozenAt},${SOURCE}`);
      const okCsv = verify(csvFile, resultsFile);
      expect([okCsv.status, okCsv.stdout]).toEqual([0, expect.stringContaining('OK')]);
      expect(okCsv.stdout).toContain(`is what this source gave: ${SOURCE}`);
      // A list published before it carried the source (no such column, no such field) still verifies.
      const [oldHeader, oldFacts] = [header, facts].map((row) => row.split(',').slice(0, 6).join(','));
      const oldCsv = verify(writeText('old.csv', [oldHeader, oldFacts, ...csvText.split('\n').slice(2)].join('\n')), resultsFile);
      expect([oldCsv.status, oldCsv.stdout]).toEqual([0, expect.stringContaining('OK')]);
      const { publicValueSource: _dropped, ...oldJson } = entrants.body;
      expect(verify(write('old.json', oldJson), resultsFile).status).toBe(0);
      // A source holding a comma and quotes is quoted in the CSV and read back whole.
      const odd = 'SSE "Composite" close, 2026-12-10';
      const oddFacts = `${facts.slice(0, -SOURCE.length)}"${odd.replace(/"/g, '""')}"`;
      const oddCsv = writeText('odd.csv', [header, oddFacts, ...csvText.split('\n').slice(2)].join('\n'));
      const okOdd = verify(oddCsv, write('odd-results.json', { ...results.body, publicValueSource: odd }));
      expect([okOdd.status, okOdd.stdout]).toEqual([0, expect.stringContaining(`is what this source gave: ${odd}`)]);
      // A list and results naming different sources do not verify: the value was read elsewhere than announced.
      const otherSource = verify(oddCsv, resultsFile);
      expect([otherSource.status, otherSource.stderr]).toEqual([1, expect.stringContaining("names the public value's source")]);

      const dropped = write('dropped.json', { ...entrants.body, entrants: (entrants.body.entrants as string[]).slice(1), count: 7 });
      const tampered = verify(dropped, resultsFile);
      expect([tampered.status, tampered.stderr]).toEqual([1, expect.stringContaining('does not hash to its digest')]);

      // A list re-digested after a change is consistent with itself, but not the list the draw used.
      const redone = [...(entrants.body.entrants as string[]).slice(1), sha256('someone else')].sort();
      const redigested = { ...entrants.body, entrants: redone, digest: sha256([salt, ...redone].map((line) => `${line}\n`).join('')) };
      const swappedList = verify(write('redigested.json', redigested), resultsFile);
      expect([swappedList.status, swappedList.stderr]).toEqual([1, expect.stringContaining('the draw used the list with digest')]);

      const list = results.body.winners as Array<{ rank: number; entryHash: string }>;
      const swapped = { ...results.body, winners: [{ ...list[0], entryHash: (results.body.skips as Array<{ entryHash: string }>)[0].entryHash }, ...list.slice(1)] };
      const wrongWinner = verify(entrantsFile, write('swapped.json', swapped));
      expect([wrongWinner.status, wrongWinner.stderr]).toEqual([1, expect.stringContaining('MISMATCH')]);

      const otherSeed = verify(entrantsFile, write('seed.json', { ...results.body, seed: 'ab'.repeat(32) }));
      expect([otherSeed.status, otherSeed.stderr]).toEqual([1, expect.stringContaining('not the commitment')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("shows officials a campaign's lottery rounds step by step: stage, entrants, who proposed and who confirmed, the draw", async () => {
    const { campaignId, lottery } = await lotteryCampaign(2);
    const [proposer, confirmer] = [await readyOfficial(db, randomPhoneStarting('16')), await readyOfficial(db, randomPhoneStarting('16'))];
    const rounds = async (token = official(), id = campaignId) => {
      const answer = await call('GET', `/v1/admin/campaigns/${id}/lotteries`, token);
      expect(answer.status).toBe(200);
      return answer.body.rounds as Array<Record<string, unknown>>;
    };
    const only = async () => {
      const list = await rounds();
      expect(list.map((round) => round.roundId)).toEqual([lottery]);
      return list[0];
    };
    const published = await call('GET', `/v1/rounds/${lottery}/lottery`);
    expect(await only()).toMatchObject({
      stage: 'signup_pending', quantity: 2, entrants: 0, commitment: published.body.commitment, signupOpensAt: published.body.signupOpensAt,
      publicValueSource: SOURCE,
      frozenAt: null, proposedBy: null, publicValue: null, drawnAt: null, winners: null, skipped: null,
    });

    // Entrants are counted as they sign up, and still after the close until the list is frozen.
    await openSignup(lottery);
    const residents = await createVerifiedResidents(db, 3);
    for (const resident of residents) expect((await signUp(resident, lottery)).status).toBe(200);
    expect(await only()).toMatchObject({ stage: 'signup_open', entrants: 3 });
    await closeSignup(lottery);
    expect(await only()).toMatchObject({ stage: 'signup_closed', entrants: 3, frozenAt: null });

    // Tokens as sign-in signs them for these accounts: of the account's token version.
    const tokenOf = async (who: string) => {
      const [{ token_version: tokenVersion }] = await db.query('SELECT token_version FROM officials WHERE public_id = $1', [who]);
      return tokenFor({ role: Role.CommerceOfficial, sub: who, tokenVersion }, { expiresIn: 3600 });
    };
    const publicValue = async (who: string, value: string) =>
      call('POST', `/v1/admin/rounds/${lottery}/lottery/public-value`, await tokenOf(who), { value });
    const first = await publicValue(proposer.id, 'SSE close 3412.57');
    expect([first.status, first.body]).toEqual([200, expect.objectContaining({ state: 'proposed' })]);
    const proposed = await only();
    // The value itself only to its proposer until it is agreed: the confirmer enters it as found at the source.
    expect(proposed).toMatchObject({
      stage: 'value_proposed', entrants: 3, proposedValue: null, proposedBy: proposer.id, proposedByName: '测试 commerce_official',
      publicValue: null, confirmedBy: null,
    });
    expect((await rounds(await tokenOf(proposer.id)))[0]).toMatchObject({ stage: 'value_proposed', proposedValue: 'SSE close 3412.57' });
    expect([proposed.frozenAt, proposed.entrantsDigest]).toEqual([expect.any(String), expect.stringMatching(/^[0-9a-f]{64}$/)]);
    // The proposer sending it again proposes again: it is never their confirmation.
    expect((await publicValue(proposer.id, 'SSE close 3412.57')).body.state).toBe('proposed');
    expect(await only()).toMatchObject({ stage: 'value_proposed', confirmedBy: null });
    expect((await publicValue(confirmer.id, 'SSE close 3412.57')).body.state).toBe('confirmed');
    expect(await only()).toMatchObject({
      stage: 'value_agreed', publicValue: 'SSE close 3412.57', proposedValue: 'SSE close 3412.57', proposedBy: proposer.id, confirmedBy: confirmer.id, confirmedByName: '测试 commerce_official',
    });

    expect((await call('POST', `/v1/admin/rounds/${lottery}/lottery/draw`, official())).status).toBe(200);
    expect(await only()).toMatchObject({
      stage: 'drawn', entrants: 3, winners: 2, skipped: 0, drawnAt: expect.any(String), publishedAt: expect.any(String),
      winnersTold: { sent: 0, waiting: 0, failed: 0, unknown: 0 },
    });
    // The settlement worker's notice job tells the winners (here with the log sender): the officials see how many were told.
    const config = testConfig();
    await new LotteryWonNotices(db, config, new LogSmsSender(config)).run();
    expect((await only()).winnersTold).toEqual({ sent: 2, waiting: 0, failed: 0, unknown: 0 });
    // Saved but not published (its load failed): said so, and nothing counted yet.
    await db.query(`UPDATE lottery_draws SET published_at = NULL WHERE round_id = (SELECT id FROM rounds WHERE public_id = $1)`, [lottery]);
    expect(await only()).toMatchObject({ stage: 'drawn_unpublished', winners: null, skipped: null, winnersTold: null });

    // Either spelling of the id; a district official of another district, and an unknown campaign, find nothing.
    expect((await rounds(official(), campaignId.toUpperCase())).map((round) => round.roundId)).toEqual([lottery]);
    const district = tokenFor({ role: Role.CommerceOfficial, district: 'haishu' });
    expectCode(await call('GET', `/v1/admin/campaigns/${campaignId}/lotteries`, district), 404, 'CAMPAIGN_NOT_FOUND');
    expectCode(await call('GET', `/v1/admin/campaigns/${newPublicId()}/lotteries`, official()), 404, 'CAMPAIGN_NOT_FOUND');
    expectCode(await call('GET', `/v1/admin/campaigns/${campaignId}/lotteries`, tokenFor({ role: Role.Resident })), 403, 'FORBIDDEN');
  });

  it('stops at the quantity: the first ranked win, the rest are told they were not drawn', async () => {
    const { lottery } = await lotteryCampaign(2);
    const residents = await createVerifiedResidents(db, 5);
    const first = await readyToDraw(lottery, residents, 'block 871234 hash');
    const drawn = await call('POST', `/v1/admin/rounds/${lottery}/lottery/draw`, first);
    expect([drawn.body.winners, drawn.body.skipped, drawn.body.entrants]).toEqual([2, 0, 5]);
    const results = await call('GET', `/v1/rounds/${lottery}/lottery/results`);
    const winners = results.body.winners as Array<{ rank: number; entryHash: string }>;
    expect(winners.map((winner) => winner.rank)).toEqual([1, 2]);
    const statuses = await Promise.all(residents.map((resident) => call('GET', `/v1/rounds/${lottery}/entries/mine`, resident.token)));
    const byStatus = (status: string) => statuses.filter((answer) => answer.body.status === status);
    expect([byStatus('won').length, byStatus('not_drawn').length]).toEqual([2, 3]);
    expect(byStatus('won').map((answer) => answer.body.entryHash).sort()).toEqual(winners.map((winner) => winner.entryHash).sort());
    expect(byStatus('not_drawn').every((answer) => answer.body.voucherId === null)).toBe(true);
    expect(await rig.rowsOf(lottery)).toHaveLength(2);
  });

  it('publishes a draw whose load failed only once Redis holds its winners, however often it is drawn again meanwhile', async () => {
    const { campaignId, lottery } = await lotteryCampaign(3);
    const first = await readyToDraw(lottery, await createVerifiedResidents(db, 5), 'block 871236 hash');
    const draw = () => call('POST', `/v1/admin/rounds/${lottery}/lottery/draw`, first);
    const keys = admissionKeys(campaignId);
    const loaded = async () => BigInt((await rig.redis.get(rig.prefix + keys.loaded)) ?? '0');
    const publishedAt = async () =>
      (await db.query('SELECT d.published_at FROM lottery_draws d JOIN rounds r ON r.id = d.round_id WHERE r.public_id = $1', [lottery]))[0].published_at;
    const before = await loaded();
    expect(before).toBeGreaterThan(0n);
    // A rebuild that died holding the state's lock: no load can run until its lease ends.
    await rig.redis.set(rig.prefix + keys.stateLock, 'a process that died', 'PX', 60_000);
    try {
      expectCode(await draw(), 503, 'LOTTERY_NOT_PUBLISHED');
      // Drawn again (the documented retry, or a second official): the state from before the draw is still no load of it.
      expectCode(await draw(), 503, 'LOTTERY_NOT_PUBLISHED');
      expect(await publishedAt()).toBeNull();
      expect(await loaded()).toBe(before);
    } finally {
      await rig.redis.del(rig.prefix + keys.stateLock);
    }
    const done = await draw();
    expect([done.status, done.body.winners]).toEqual([200, 3]);
    expect(await publishedAt()).not.toBeNull();
    const [{ generation }] = await db.query(
      'SELECT a.generation FROM campaign_admission a JOIN campaigns c ON c.id = a.campaign_id WHERE c.public_id = $1',
      [campaignId],
    );
    expect(await loaded()).toBeGreaterThanOrEqual(BigInt(generation));
  });

  it('draws only an active campaign whose vouchers would still be valid, and writes nothing otherwise', async () => {
    const { campaignId, lottery } = await lotteryCampaign(2);
    const first = await readyToDraw(lottery, await createVerifiedResidents(db, 2), 'block 871235 hash');
    const draw = () => call('POST', `/v1/admin/rounds/${lottery}/lottery/draw`, first);
    const drawnAt = async () => (await db.query('SELECT d.drawn_at FROM lottery_draws d JOIN rounds r ON r.id = d.round_id WHERE r.public_id = $1', [lottery]))[0].drawn_at;
    // The campaign's vouchers ran out of validity after sign-up (a campaign made before the rule that refuses this).
    await db.query(`UPDATE campaigns SET valid_until = now() - interval '1 minute' WHERE public_id = $1`, [campaignId]);
    expectCode(await draw(), 409, 'VOUCHER_VALIDITY_ENDED');
    await db.query(`UPDATE campaigns SET valid_until = NULL WHERE public_id = $1`, [campaignId]);
    // Paused, then ended: no draw, as no grab.
    expect((await call('POST', `/v1/admin/campaigns/${campaignId}/transitions`, official(), { to: 'paused' })).status).toBe(200);
    const paused = await draw();
    expectCode(paused, 409, 'CAMPAIGN_NOT_ACTIVE');
    expect(paused.body.details).toEqual({ status: 'paused' });
    expect((await call('POST', `/v1/admin/campaigns/${campaignId}/transitions`, official(), { to: 'ended' })).status).toBe(200);
    expectCode(await draw(), 409, 'CAMPAIGN_NOT_ACTIVE');
    expect(await drawnAt()).toBeNull();
    expect(await rig.rowsOf(lottery)).toHaveLength(0);
  });

  it('agrees on a value typed with full-width digits or other spaces, stores and draws with it normalised; a different figure is still refused', async () => {
    const { lottery } = await lotteryCampaign(2);
    const residents = await createVerifiedResidents(db, 4);
    await openSignup(lottery);
    for (const resident of residents) expect((await signUp(resident, lottery)).status).toBe(200);
    await closeSignup(lottery);
    const [first, second, third] = [official(), official(), official()];
    const publicValue = (token: string, value: string) => call('POST', `/v1/admin/rounds/${lottery}/lottery/public-value`, token, { value });
    const proposed = await publicValue(first, '  ＳＳＥ  close　３４１２．５７ ');
    expect([proposed.status, proposed.body.state, proposed.body.value]).toEqual([200, 'proposed', 'SSE close 3412.57']);
    // A really different figure, or one that spaces alone cannot make equal, is not the same value.
    for (const other of ['SSE close 3412.58', 'SSE close 3412,57', 'SSEclose 3412.57']) {
      expectCode(await publicValue(second, other), 409, 'PUBLIC_VALUE_MISMATCH');
    }
    expectCode(await publicValue(second, ' \u3000 '), 400, 'VALIDATION_FAILED');
    const confirmed = await publicValue(third, 'SSE\tclose 3412.57\n');
    expect([confirmed.status, confirmed.body.state, confirmed.body.value]).toEqual([200, 'confirmed', 'SSE close 3412.57']);
    const [stored] = await db.query(`SELECT proposed_value, public_value FROM lottery_draws WHERE round_id = (SELECT id FROM rounds WHERE public_id = $1)`, [lottery]);
    expect(stored).toEqual({ proposed_value: 'SSE close 3412.57', public_value: 'SSE close 3412.57' });
    // Each official's typing is kept in the audit beside the value taken.
    const audited = await db.query(`SELECT detail FROM audit_log WHERE target_id = $1 AND action LIKE 'lottery.public_value.%' ORDER BY id`, [lottery]);
    expect(audited.map((row: { detail: unknown }) => row.detail)).toEqual([
      { value: 'SSE close 3412.57', sent: '  ＳＳＥ  close　３４１２．５７ ' },
      { value: 'SSE close 3412.57', sent: 'SSE\tclose 3412.57\n' },
    ]);

    // The draw hashes the normalised value, as published: anyone recomputing takes it as it reads.
    expect((await call('POST', `/v1/admin/rounds/${lottery}/lottery/draw`, first)).status).toBe(200);
    const results = await call('GET', `/v1/rounds/${lottery}/lottery/results`);
    expect([results.body.publicValue, results.body.publicValueSource]).toEqual(['SSE close 3412.57', SOURCE]);
    const entrants = await call('GET', `/v1/rounds/${lottery}/lottery/entrants`);
    const order = drawOrder(results.body.seed as string, 'SSE close 3412.57', entrants.body.entrants as string[]);
    expect((results.body.winners as Array<{ entryHash: string }>).map((winner) => winner.entryHash)).toEqual(order.slice(0, 2));
  });

  it('ranks in Postgres as drawOrder does, page after page, whatever the public value', async () => {
    const { lottery } = await lotteryCampaign(3);
    const residents = await createVerifiedResidents(db, 200);
    const [{ id: roundId }] = await db.query(`SELECT id FROM rounds WHERE public_id = $1`, [lottery]);
    const hashes = residents.map((resident) => sha256(`salt${resident.id}`));
    await db.query(
      `INSERT INTO lottery_entries (round_id, resident_id, entry_hash)
       SELECT $1, res.id, t.hash FROM unnest($2::uuid[], $3::text[]) AS t(resident, hash) JOIN residents res ON res.public_id = t.resident`,
      [roundId, residents.map((resident) => resident.id), hashes],
    );
    const seed = sha256('a seed');
    for (const value of ['SSE close 3412.57', '上证指数 3412.57 · 深证成指 11020.3']) {
      const ranked: string[] = [];
      for (let offset = 0; offset < hashes.length; offset += 70) {
        const page: Array<{ entry_hash: string }> = await db.query(RANKED_ENTRANTS, [roundId, `${seed}${value}`, 70, offset]);
        ranked.push(...page.map((row) => row.entry_hash));
      }
      expect(ranked).toEqual(drawOrder(seed, value, hashes));
    }
  });

  it('freezes the list over sign-ups in flight: one that waited on the freeze writes nothing', async () => {
    const { lottery } = await lotteryCampaign(1);
    await openSignup(lottery);
    const [early, late] = await createVerifiedResidents(db, 2);
    expect((await signUp(early, lottery)).status).toBe(200);
    // Another process freezing the list: it holds the draw row as lockAndFreeze does.
    const freezer = new Client({ connectionString: process.env.DATABASE_URL });
    await freezer.connect();
    try {
      await freezer.query('BEGIN');
      await freezer.query(`SELECT 1 FROM lottery_draws WHERE round_id = (SELECT id FROM rounds WHERE public_id = $1) FOR UPDATE`, [lottery]);
      const pending = signUp(late, lottery);
      await waitUntilBlockedBy(db, freezer);
      await freezer.query(`UPDATE lottery_draws SET frozen_at = now() WHERE round_id = (SELECT id FROM rounds WHERE public_id = $1)`, [lottery]);
      await freezer.query('COMMIT');
      expectCode(await pending, 409, 'SIGNUP_CLOSED');
    } finally {
      await freezer.end();
    }
    const rows = await db.query(
      `SELECT res.public_id FROM lottery_entries e JOIN rounds r ON r.id = e.round_id JOIN residents res ON res.id = e.resident_id WHERE r.public_id = $1`,
      [lottery],
    );
    expect(rows.map((row: { public_id: string }) => row.public_id)).toEqual([early.id]);
  });

  it('holds four eyes in the table too: the proposer cannot be the confirmer', async () => {
    const { lottery } = await lotteryCampaign(1);
    const same = newPublicId();
    await expect(
      db.query(
        `UPDATE lottery_draws SET proposed_by = $2, proposed_value = 'v', public_value = 'v', confirmed_by = $2
          WHERE round_id = (SELECT id FROM rounds WHERE public_id = $1)`,
        [lottery, same],
      ),
    ).rejects.toThrow(/lottery_draws_four_eyes/);
  });
});
