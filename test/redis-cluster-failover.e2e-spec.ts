import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LISTEN_BACKLOG } from '@vouchers/http';
import { connectRedis } from '@vouchers/redis';
import { Cluster } from 'ioredis';
import { DataSource } from 'typeorm';
import { freeBasePort, RunningCluster, startRedisCluster } from '../scripts/redis-cluster.cjs';
import { bootApp } from './support/apps';
import { createActiveCampaign, TestCampaign } from './support/campaigns';
import { openTestDatabase } from './support/database';
import { createVerifiedResidents, TestResident } from './support/residents';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  status: number;
  code?: string;
  id?: string;
  retryAfter: string | null;
  round: string;
  resident: string;
  at: number;
}

/**
 * A master of a private Redis Cluster (3 masters, 3 replicas, scripts/redis-cluster.cjs) is
 * killed (SIGKILL) in the middle of a rush, the master owning the campaign's slot. Its replica
 * takes over within seconds; meanwhile grabs answer 503 with Retry-After, never 500, and after
 * the takeover they succeed again. The replica may lack the master's last writes (replication
 * is asynchronous): Postgres stays the record, and the invariants are checked there: no round
 * gives out more than its quantity, no resident holds more than the limit, and every grab
 * acknowledged with 201 has its voucher row.
 */
describe('the grab when the Redis Cluster master of its campaign dies mid-rush', () => {
  let cluster: RunningCluster;
  let app: NestFastifyApplication;
  let base: string;
  let db: DataSource;
  let raw: Cluster;

  beforeAll(async () => {
    cluster = await startRedisCluster({ basePort: await freeBasePort() });
    raw = connectRedis(cluster.url) as Cluster;
    app = await bootApp('issuance', { REDIS_URL: cluster.url, GRAB_LIMIT_PER_PERSON: '0' });
    await app.listen({ port: 0, host: '127.0.0.1', backlog: LISTEN_BACKLOG });
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    db = await openTestDatabase();
  }, 60_000);

  afterAll(async () => {
    raw?.disconnect();
    await db?.destroy();
    await app?.close();
    await cluster?.stop();
  });

  async function grab(resident: TestResident, round: string): Promise<Answer> {
    const response = await fetch(`${base}/v1/rounds/${round}/claims`, { method: 'POST', headers: { authorization: `Bearer ${resident.token}` } });
    const body = (await response.json()) as { id?: string; code?: string };
    return { status: response.status, code: body.code, id: body.id, retryAfter: response.headers.get('retry-after'), round, resident: resident.id, at: Date.now() };
  }

  /** A resident's client: retries a 503 after its Retry-After (shortened: the test has no second to spare per try), up to 60 s. */
  async function grabUntilAnswered(resident: TestResident, round: string, seen: Answer[]): Promise<Answer> {
    const giveUpAt = Date.now() + 60_000;
    while (Date.now() < giveUpAt) {
      const answer = await grab(resident, round);
      seen.push(answer);
      if (answer.status !== 503) return answer;
      await sleep(200);
    }
    throw new Error(`${resident.id} still had 503 after 60 s`);
  }

  /** The master (port, pid) serving the campaign's hash tag. */
  async function masterOf(campaign: TestCampaign): Promise<{ port: number; pid: number }> {
    const slot = Number(await raw.cluster('KEYSLOT', `{cmp:${campaign.id}}`));
    const range = (await raw.cluster('SLOTS')).find(([from, to]) => slot >= from && slot <= to);
    if (!range?.[2]) throw new Error(`no master serves slot ${slot}`);
    const port = range[2][1];
    const node = cluster.nodes.find((n) => n.port === port);
    if (!node?.pid) throw new Error(`no pid for the node on ${port}`);
    return { port, pid: node.pid };
  }

  it('answers 503 with Retry-After while the replica takes over, then admits again; Postgres holds no oversell, no one over the limit, every acknowledged grab', async () => {
    const quantity = [120, 120];
    const campaign = await createActiveCampaign(app, { quantity, perPersonLimit: 1 });
    const residents = await createVerifiedResidents(db, 320);
    const master = await masterOf(campaign);

    const seen: Answer[] = [];
    let killedAt = 0;
    let acked = 0;
    // Each resident presses the first round, then the second (the limit of 1 refuses it if the first was had).
    const press = async (resident: TestResident) => {
      for (const round of campaign.rounds) {
        const answer = await grabUntilAnswered(resident, round, seen);
        if (answer.status === 201) acked++;
      }
    };
    let next = 0;
    const clients = Array.from({ length: 24 }, async () => {
      while (next < residents.length) await press(residents[next++]);
    });
    // Mid-rush: once a quarter of the stock is acknowledged, the campaign's master dies.
    while (acked < 60) await sleep(20);
    process.kill(master.pid, 'SIGKILL');
    killedAt = Date.now();
    await Promise.all(clients);

    const during = seen.filter((answer) => answer.at > killedAt && answer.status === 503);
    const lastRefusedAt = Math.max(...during.map((answer) => answer.at));
    // Acknowledged after the last 503: the promoted replica admits.
    const after = seen.filter((answer) => answer.at > lastRefusedAt && answer.status === 201);
    expect(seen.filter((answer) => answer.status >= 500 && answer.status !== 503)).toEqual([]);
    expect(during.length).toBeGreaterThan(0);
    for (const answer of during) {
      // CLAIM_IN_PROGRESS: the dying master ran a reserve whose answer never came back (503
      // ADMISSION_UNAVAILABLE) and the replica had it; the retry finds that reservation (SAME) with
      // no row in Postgres, and is told to try again until the sweeper gives it back.
      expect(['ADMISSION_UNAVAILABLE', 'ADMISSION_REBUILDING', 'CLAIM_IN_PROGRESS']).toContain(answer.code);
      expect(answer.retryAfter).toBe('1');
    }
    expect(after.length).toBeGreaterThan(0);
    // The replica is master of the slot now.
    const promoted = await masterOf(campaign);
    expect(promoted.port).not.toBe(master.port);

    // Postgres, the record.
    const rows: Array<{ voucher: string; resident: string; round: string }> = await db.query(
      `SELECT v.public_id AS voucher, res.public_id AS resident, r.public_id AS round FROM vouchers v
         JOIN rounds r ON r.id = v.round_id JOIN residents res ON res.id = v.resident_id
         JOIN campaigns c ON c.id = v.campaign_id WHERE c.public_id = $1`,
      [campaign.id],
    );
    const rounds: Array<{ round: string; quantity: number; issued: number }> = await db.query(
      `SELECT r.public_id AS round, r.quantity, r.issued FROM rounds r JOIN campaigns c ON c.id = r.campaign_id WHERE c.public_id = $1`,
      [campaign.id],
    );
    for (const round of rounds) {
      const held = rows.filter((row) => row.round === round.round).length;
      expect(held).toBeLessThanOrEqual(round.quantity);
      expect(round.issued).toBe(held);
    }
    const perResident = new Map<string, number>();
    for (const row of rows) perResident.set(row.resident, (perResident.get(row.resident) ?? 0) + 1);
    expect(Math.max(...perResident.values())).toBeLessThanOrEqual(1);
    const held = new Set(rows.map((row) => row.voucher));
    const acknowledged = seen.filter((answer) => answer.status === 201);
    expect(acknowledged.filter((answer) => !held.has(answer.id as string))).toEqual([]);
    // Everyone was answered: 320 residents for 240 vouchers, so the rounds sell out.
    expect(rows).toHaveLength(quantity[0] + quantity[1]);
    console.log(
      JSON.stringify({
        failover: { killedPort: master.port, promotedPort: promoted.port, answers503: during.length, refusingMs: lastRefusedAt - killedAt, acksAfter: after.length, vouchers: rows.length },
      }),
    );
  }, 180_000);
});
