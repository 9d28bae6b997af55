import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LISTEN_BACKLOG } from '@vouchers/http';
import { connectRedis, Redis } from '@vouchers/redis';
import { DataSource } from 'typeorm';
import { admissionKeys, stateIdsOf } from '../../apps/issuance/src/claims/admission-keys';
import { bootApp } from './apps';
import { openTestDatabase } from './database';
import { TestResident } from './residents';

/** An answer of the rig's app: its status and its JSON body ({} when it has none). */
export interface RigAnswer {
  status: number;
  body: Record<string, unknown> & { code?: string };
}

/** An answer's status and error code, as one assertion. */
export function expectCode(answer: RigAnswer, status: number, code: string): void {
  expect([answer.status, answer.body.code]).toEqual([status, code]);
}

export interface GrabAnswer {
  status: number;
  body: { id?: string; code?: string };
  resident: string;
  retryAfter: string | null;
}

/**
 * The issuance app on a real port (so thousands of grabs are truly concurrent), a database
 * connection and a raw Redis client, with the reads the grab tests make of each.
 */
export class GrabRig {
  app: NestFastifyApplication;
  base: string;
  db: DataSource;
  redis: Redis;
  readonly prefix = process.env.REDIS_KEY_PREFIX as string;

  /**
   * The rush tests press hundreds of times as one person, so the per-person limit is off unless
   * a test sets GRAB_LIMIT_PER_PERSON (grab-rate-limit.e2e-spec.ts).
   */
  constructor(private readonly env: NodeJS.ProcessEnv = { GRAB_LIMIT_PER_PERSON: '0' }) {}

  async start(): Promise<this> {
    this.app = await bootApp('issuance', this.env);
    // The apps' own backlog (Node's 511 overflows when 2,000 grabs connect at once, and a
    // handshake the kernel drops can come back to the client as ECONNRESET).
    await this.app.listen({ port: 0, host: '127.0.0.1', backlog: LISTEN_BACKLOG });
    this.base = (await this.app.getUrl()).replace('[::1]', '127.0.0.1');
    this.db = await openTestDatabase();
    this.redis = connectRedis(process.env.REDIS_URL as string);
    return this;
  }

  async stop(): Promise<void> {
    this.redis.disconnect();
    await this.db.destroy();
    await this.app.close();
  }

  /** A request to the rig's app as a client sends one: a bearer token, a JSON body. */
  async call(method: string, path: string, token?: string, body?: unknown): Promise<RigAnswer> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as RigAnswer['body']) : {} };
  }

  async grab(resident: TestResident, roundId: string, headers: Record<string, string> = {}): Promise<GrabAnswer> {
    const response = await fetch(`${this.base}/v1/rounds/${roundId}/claims`, {
      method: 'POST',
      headers: { authorization: `Bearer ${resident.token}`, ...headers },
    });
    return {
      status: response.status,
      body: (await response.json()) as GrabAnswer['body'],
      resident: resident.id,
      retryAfter: response.headers.get('retry-after'),
    };
  }

  /** The round's vouchers in Postgres, with their holders. */
  async rowsOf(roundId: string): Promise<Array<{ public_id: string; resident: string }>> {
    return this.db.query(
      `SELECT v.public_id, res.public_id AS resident FROM vouchers v
         JOIN rounds r ON r.id = v.round_id JOIN residents res ON res.id = v.resident_id
        WHERE r.public_id = $1`,
      [roundId],
    );
  }

  /** The round's stock as the admission state in Redis holds it: in a campaign of `buckets` stock buckets, the sum of theirs. */
  async stockOf(campaignId: string, roundId: string, buckets = 1): Promise<number> {
    return (await this.sharesOf(campaignId, roundId, buckets)).reduce((sum, share) => sum + share, 0);
  }

  /** Each stock bucket's stock of the round (one read a bucket: each its own slot), bucket 0 first; a missing key reads 0. */
  async sharesOf(campaignId: string, roundId: string, buckets = 1): Promise<number[]> {
    return Promise.all(stateIdsOf(campaignId, buckets).map(async (stateId) => Number(await this.redis.hget(this.prefix + admissionKeys(stateId).round(roundId), 'stock'))));
  }
}
