/**
 * Two processes each of issuance and redemption behind the web gateway, as
 * `ISSUANCE_PROCESSES=2 REDEMPTION_PROCESSES=2 npm start` runs them (scripts/platform.cjs, from
 * dist/): a crowd grabs two rounds beyond their stock and tills scan each voucher twice over, all
 * through the gateway's one address, and one process of each app is killed (SIGKILL) mid-load.
 * Afterwards Postgres, the record, must show no oversold round, nobody over the campaign's
 * limit, a row for every grab that was answered with a voucher, and no voucher redeemed twice;
 * the stock every reservation of the killed process held must be given back; both processes of
 * each app must have served, and the killed ones must be back in the gateway's rotation.
 */
import { Role } from '@vouchers/auth';
import { DISTRICT_CODES } from '@vouchers/common';
import { eligibilityKeys } from '@vouchers/eligibility';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { openTestDatabase } from './support/database';
import { insertMerchantWithStaff, MerchantWithStaff, openTestRedis, TestRedis } from './support/merchant-accounts';
import { FinalAnswer, paced, sendPatiently } from './support/patient-client';
import { campaignBody } from './support/campaigns';
import { RunningPlatform, startPlatform } from './support/platform';
import { createVerifiedResidents, TestResident } from './support/residents';
import { tokenFor } from './support/tokens';
import { freePort } from '../scripts/free-port';

const ROOT = join(__dirname, '..');

/** Two rounds of one campaign (one voucher a person), and more residents than both hold. */
const QUANTITIES = [90, 60];
const CROWD = 260;
/** Of the crowd, these also press the second round at the same moment: only one press may win. */
const BOTH_ROUNDS = 120;
/** Vouchers (of a campaign of their own) that two tills scan at once, with their own order numbers. */
const SCANNED = 40;
const FACE_FEN = 1000;
/** The load's length: requests are spread over it, and the kill lands in its first third. */
const LOAD_MS = 7_000;
const KILL_AFTER_MS = 2_000;
const ANSWER_DEADLINE_MS = 40_000;

interface Upstreams {
  [app: string]: Array<{ member: string; port: number; state: string; served: number; failed: number; pending: number }>;
}

describe('two processes of issuance and of redemption behind the web gateway, one of each killed mid-load', () => {
  let platform: RunningPlatform;
  let db: DataSource;
  let redis: TestRedis;
  let web: string;
  const restarted: string[] = [];
  const official = () => ({ authorization: `Bearer ${tokenFor({ role: Role.CommerceOfficial }, { expiresIn: 600 })}` });

  async function api(path: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
    const answer = await sendPatiently(`${web}${path}`, { ...init, headers: { 'content-type': 'application/json', ...init.headers } }, 20_000);
    return { status: answer.status, body: answer.body };
  }

  /** An active campaign of one voucher a person, made through the officials' API behind the gateway; its rounds by quantity. */
  async function activeCampaign(quantities: number[]): Promise<{ id: string; rounds: string[] }> {
    const created = await api('/api/issuance/v1/admin/campaigns', {
      method: 'POST',
      headers: official(),
      body: JSON.stringify(campaignBody({ quantity: quantities, faceValueFen: FACE_FEN })),
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    for (const to of ['scheduled', 'active']) {
      const moved = await api(`/api/issuance/v1/admin/campaigns/${id}/transitions`, { method: 'POST', headers: official(), body: JSON.stringify({ to }) });
      expect(moved.status).toBe(200);
    }
    const rows: Array<{ public_id: string; quantity: number }> = await db.query(
      'SELECT r.public_id, r.quantity FROM rounds r JOIN campaigns c ON c.id = r.campaign_id WHERE c.public_id = $1',
      [id],
    );
    return { id, rounds: quantities.map((quantity) => rows.find((row) => row.quantity === quantity)!.public_id) };
  }

  const grab = (resident: TestResident, roundId: string, key: string) => () =>
    sendPatiently(
      `${web}/api/issuance/v1/rounds/${roundId}/claims`,
      { method: 'POST', headers: { authorization: `Bearer ${resident.token}`, 'idempotency-key': key } },
      ANSWER_DEADLINE_MS,
    );

  const upstreams = async (): Promise<Upstreams> => (await (await fetch(`${web}/gateway/upstreams`)).json()) as Upstreams;

  beforeAll(async () => {
    db = await openTestDatabase();
    redis = openTestRedis();
    // The worker too: on port 0 it may take a port just chosen here for another listener.
    const [issuance1, issuance2, merchant, redemption1, redemption2, settlement, webPort, worker] = await Promise.all(Array.from({ length: 8 }, freePort));
    web = `http://127.0.0.1:${webPort}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LOG_LEVEL: 'warn',
      TRUST_PROXY: '127.0.0.1',
      ISSUANCE_PROCESSES: '2',
      ISSUANCE_PORTS: `${issuance1},${issuance2}`,
      REDEMPTION_PROCESSES: '2',
      REDEMPTION_PORTS: `${redemption1},${redemption2}`,
      MERCHANT_PORT: String(merchant),
      SETTLEMENT_PORT: String(settlement),
      SETTLEMENT_WORKER_PORT: String(worker),
      WEB_PORT: String(webPort),
    };
    platform = await startPlatform({
      env,
      logDir: join(ROOT, 'test-results', 'processes-logs', randomBytes(3).toString('hex')),
      timeoutMs: 150_000,
      onRestart: (name) => restarted.push(name),
    });
  }, 180_000);

  afterAll(async () => {
    await platform?.stop();
    redis?.prefixed.disconnect();
    redis?.raw.disconnect();
    await db?.destroy();
  });

  it('keeps every invariant, gives the killed processes’ stock back, and serves from both processes of each app', async () => {
    // The grab: a crowd beyond two rounds' stock; some press both rounds at once (one voucher a person).
    const campaign = await activeCampaign(QUANTITIES);
    const crowd = await createVerifiedResidents(db, CROWD);
    const grabs = crowd.flatMap((resident, i) => {
      const first = grab(resident, campaign.rounds[0], `p${i}-a-${randomBytes(4).toString('hex')}`);
      return i < BOTH_ROUNDS ? [first, grab(resident, campaign.rounds[1], `p${i}-b-${randomBytes(4).toString('hex')}`)] : [first];
    });
    // Odd crowd members start with the second round, so that round also sells out.
    for (let i = 1; i < BOTH_ROUNDS * 2; i += 4) [grabs[i - 1], grabs[i]] = [grabs[i], grabs[i - 1]];

    // The till: vouchers held by residents of a campaign of their own, and two tills of different districts.
    const scanned = await activeCampaign([SCANNED]);
    const holders = await createVerifiedResidents(db, SCANNED);
    const held: string[] = [];
    for (const holder of holders) {
      const answer = await grab(holder, scanned.rounds[0], `h-${randomBytes(6).toString('hex')}`)();
      expect(answer.status).toBe(201);
      held.push(answer.body.id as string);
    }
    const tills: MerchantWithStaff[] = [];
    for (const district of DISTRICT_CODES.slice(0, 2)) {
      const till = await insertMerchantWithStaff(db, { district, category: 'dining' });
      await redis.prefixed.hset(eligibilityKeys.merchant(till.merchantId), { status: 'approved', district, category: 'dining' });
      tills.push(till);
    }
    await redis.prefixed.set(eligibilityKeys.loaded, '1');
    const scans = holders.map((holder, i) => async () => {
      const code = await sendPatiently(
        `${web}/api/issuance/v1/me/vouchers/${held[i]}/code`,
        { method: 'POST', headers: { authorization: `Bearer ${holder.token}` } },
        ANSWER_DEADLINE_MS,
      );
      if (code.status !== 201) return [code];
      // Both tills scan the one code at the same moment, each with its own order number.
      return Promise.all(
        tills.map((till, t) =>
          sendPatiently(
            `${web}/api/redemption/v1/redemptions`,
            {
              method: 'POST',
              headers: { authorization: `Bearer ${till.cashierToken}`, 'content-type': 'application/json' },
              body: JSON.stringify({ code: code.body.code, orderAmountFen: 5000 + i, merchantOrderNo: `PROC-${t}-${i}-${randomBytes(3).toString('hex')}` }),
            },
            ANSWER_DEADLINE_MS,
          ),
        ),
      );
    });

    // The load, with one process of each app killed a third of the way in.
    const victims = ['issuance-1', 'redemption-1'].map((name) => platform.processes.find((p) => p.name === name)!);
    const killed = new Promise<Upstreams>((resolve, reject) =>
      setTimeout(() => {
        // What each process had served until then, so the victims' share is theirs, not their next lives'.
        upstreams().then((before) => {
          for (const victim of victims) process.kill(victim.pid()!, 'SIGKILL');
          resolve(before);
        }, reject);
      }, KILL_AFTER_MS),
    );
    const [grabAnswers, scanAnswers, beforeKill] = await Promise.all([
      paced(grabs, LOAD_MS / grabs.length, 64),
      paced(scans, LOAD_MS / scans.length, 16),
      killed,
    ]);

    // Every grab got a final answer; those with a voucher are rows.
    const unanswered = grabAnswers.filter((answer) => answer.status === 0 || answer.status >= 500);
    expect(unanswered).toEqual([]);
    const acked = new Set(grabAnswers.filter((a) => a.status === 201 || a.status === 200).map((a) => a.body.id as string));
    const refusals = new Set(grabAnswers.filter((a) => a.status >= 400).map((a) => a.code));
    expect([...refusals].every((code) => ['SOLD_OUT', 'ALREADY_CLAIMED'].includes(code))).toBe(true);
    const [{ found }]: Array<{ found: number }> = await db.query('SELECT count(*)::int AS found FROM vouchers WHERE public_id = ANY($1::uuid[])', [[...acked]]);
    expect(found).toBe(acked.size);

    // No round oversold, nobody beyond one voucher of the campaign.
    const perRound: Array<{ public_id: string; quantity: number; rows: number }> = await db.query(
      `SELECT r.public_id, r.quantity, count(v.id)::int AS rows
         FROM rounds r JOIN campaigns c ON c.id = r.campaign_id LEFT JOIN vouchers v ON v.round_id = r.id
        WHERE c.public_id = $1 GROUP BY r.public_id, r.quantity`,
      [campaign.id],
    );
    for (const round of perRound) expect(round.rows).toBeLessThanOrEqual(round.quantity);
    const [{ over }]: Array<{ over: number }> = await db.query(
      `SELECT count(*)::int AS over FROM (SELECT v.resident_id FROM vouchers v JOIN campaigns c ON c.id = v.campaign_id
        WHERE c.public_id = $1 GROUP BY v.resident_id HAVING count(*) > 1) t`,
      [campaign.id],
    );
    expect(over).toBe(0);

    // No voucher redeemed twice: one standing redemption at most, and one till answered with it.
    const scanFinals = scanAnswers.flat() as FinalAnswer[];
    expect(scanFinals.filter((answer) => answer.status === 0 || answer.status >= 500)).toEqual([]);
    const redeemed = scanFinals.filter((a) => a.status === 201 || a.status === 200);
    const byVoucher = new Map<string, Set<string>>();
    for (const answer of redeemed) {
      const ids = byVoucher.get(answer.body.voucherId as string) ?? new Set<string>();
      byVoucher.set(answer.body.voucherId as string, ids.add(answer.body.redemptionId as string));
    }
    expect([...byVoucher.values()].every((ids) => ids.size === 1)).toBe(true);
    const redemptionRows: Array<{ voucher: string; redemptions: number; status: string }> = await db.query(
      `SELECT v.public_id AS voucher, v.status, count(r.id)::int AS redemptions
         FROM vouchers v LEFT JOIN redemptions r ON r.voucher_id = v.id
        WHERE v.public_id = ANY($1::uuid[]) GROUP BY v.public_id, v.status`,
      [held],
    );
    expect(redemptionRows.filter((row) => row.redemptions > 1)).toEqual([]);
    for (const [voucher, ids] of byVoucher) {
      const [{ found: rows }]: Array<{ found: number }> = await db.query(
        'SELECT count(*)::int AS found FROM redemptions r JOIN vouchers v ON v.id = r.voucher_id WHERE r.public_id = ANY($1::uuid[]) AND v.public_id = $2',
        [[...ids], voucher],
      );
      expect(rows).toBe(1);
      expect(redemptionRows.find((row) => row.voucher === voucher)?.status).toBe('redeemed');
    }
    // Most vouchers were redeemed once (a code spent by a scan the killed process never answered stays spent: CODE_REPLAYED).
    expect(byVoucher.size).toBeGreaterThan(SCANNED / 2);

    // The stock of reservations the killed process held comes back: Redis's stock and the rows add up to each round's quantity.
    const tag = `${redis.prefix}{cmp:${campaign.id}}`;
    const whole = async () => {
      const rows: Array<{ public_id: string; quantity: number; rows: number }> = await db.query(
        `SELECT r.public_id, r.quantity, count(v.id)::int AS rows FROM rounds r JOIN campaigns c ON c.id = r.campaign_id
           LEFT JOIN vouchers v ON v.round_id = r.id WHERE c.public_id = $1 GROUP BY r.public_id, r.quantity`,
        [campaign.id],
      );
      for (const round of rows) {
        const stock = Number(await redis.raw.hget(`${tag}:round:${round.public_id}`, 'stock'));
        if (Math.max(0, stock) + round.rows !== round.quantity) return false;
      }
      return true;
    };
    const until = Date.now() + 30_000;
    while (!(await whole()) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await whole()).toBe(true);

    // Both processes of each app served, the killed ones were started again and are back in rotation.
    expect(restarted.sort()).toEqual(['issuance-1', 'redemption-1']);
    let seen = await upstreams();
    const back = Date.now() + 60_000;
    while (Object.values(seen).some((members) => members.some((m) => m.state !== 'up')) && Date.now() < back) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      seen = await upstreams();
    }
    for (const app of ['issuance', 'redemption']) {
      expect(seen[app]).toHaveLength(2);
      for (const member of seen[app]) expect(member.state).toBe('up');
      for (const member of beforeKill[app]) expect(member.served).toBeGreaterThan(0);
      // The survivor served on after the kill.
      const survivor = platform.processes.find((p) => p.name === `${app}-2`)!;
      const served = (at: Upstreams) => at[app].find((member) => member.port === survivor.port)!.served;
      expect(served(seen)).toBeGreaterThan(served(beforeKill));
    }
    const summary = {
      grabs: grabAnswers.length,
      grabSends: grabAnswers.reduce((sum, answer) => sum + answer.sends, 0),
      vouchers: acked.size,
      rows: perRound.map((round) => round.rows),
      quantities: perRound.map((round) => round.quantity),
      scans: scanFinals.length,
      redeemed: byVoucher.size,
      servedBeforeKill: Object.fromEntries(['issuance', 'redemption'].map((app) => [app, beforeKill[app].map((member) => member.served)])),
      served: Object.fromEntries(['issuance', 'redemption'].map((app) => [app, seen[app].map((member) => member.served)])),
      failedAtGateway: Object.fromEntries(['issuance', 'redemption'].map((app) => [app, seen[app].map((member) => member.failed)])),
    };
    process.stderr.write(`[processes] ${JSON.stringify(summary)}\n`);
  }, 240_000);
});
