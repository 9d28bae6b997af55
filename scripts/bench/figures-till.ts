/**
 * The till's load for bench:figures: POST /v1/redemptions of the real redemption app, each
 * request a freshly signed code of a claimed voucher of the seed no other request uses, at a
 * cashier of a merchant of the voucher's campaign's district (as bench:redeem drives it).
 */
import { JwtService } from '@nestjs/jwt';
import type { Redis } from '@vouchers/redis';
import { EligibilityIndex } from '@vouchers/eligibility';
import { CODE_POLICY, NONCE_TTL_MS, signVoucherCode } from '@vouchers/voucher-code';
import { createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { LoadRequest, log } from './bench-kit';
import { storeNonces } from './till-redis';

interface LoadVoucher {
  voucher: string;
  holder: string;
  /** The campaign's one district; null for the city-wide campaign. */
  district: string | null;
}

interface Till {
  merchant: string;
  district: string;
  category: string;
  token: string;
}

/** What the load has answered so far: created redemptions, when the last came, refusals by code. */
export interface TillTally {
  created: number;
  lastCreatedAt: number;
  other: Map<string, number>;
}

export const tillTally = (): TillTally => ({ created: 0, lastCreatedAt: 0, other: new Map() });

export class TillLoad {
  private next = 0;

  private constructor(
    private readonly vouchers: LoadVoucher[],
    private readonly nonces: string[],
    private readonly tills: Map<string | null, Till[]>,
    private readonly codeKey: KeyObject,
    private readonly runTag: string,
  ) {}

  /**
   * Takes `count` claimed vouchers of the seed and the seeded cashiers, tells the till's Redis
   * view about the merchants, and stores every voucher's nonce as issuance does when it shows a code.
   * `redis` carries the apps' key prefix (till-redis.ts).
   */
  static async prepare(db: DataSource, redis: Redis, options: { count: number; jwtSecret: string; codeKey: string }): Promise<TillLoad> {
    const vouchers = (await db.query(
      `SELECT v.public_id AS voucher, res.public_id AS holder, c.districts[1] AS district
         FROM vouchers v JOIN residents res ON res.id = v.resident_id JOIN campaigns c ON c.id = v.campaign_id
        WHERE v.status = 'claimed' ORDER BY v.id DESC LIMIT $1`,
      [options.count],
    )) as LoadVoucher[];
    if (vouchers.length < options.count) throw new Error(`the seed has ${vouchers.length} claimed vouchers, the load needs ${options.count}`);
    const staff = (await db.query(
      `SELECT m.public_id AS merchant, m.district, m.category, s.public_id AS cashier
         FROM merchant_staff s JOIN merchants m ON m.id = s.merchant_id ORDER BY m.id`,
    )) as Array<{ merchant: string; district: string; category: string; cashier: string }>;
    const jwt = new JwtService({ secret: options.jwtSecret, signOptions: { algorithm: 'HS256', expiresIn: '2h' } });
    const tills = new Map<string | null, Till[]>([[null, []]]);
    for (const row of staff) {
      const till = { merchant: row.merchant, district: row.district, category: row.category, token: jwt.sign({ sub: row.cashier, role: 'merchant_staff', merchantId: row.merchant }) };
      tills.get(null)?.push(till);
      tills.set(row.district, [...(tills.get(row.district) ?? []), till]);
    }
    // The till's view of the merchants, as the platform builds it from the seeded rows.
    await new EligibilityIndex(redis, db).rebuild();
    const nonceBytes = randomBytes(8 * vouchers.length);
    const nonces = vouchers.map((_, i) => nonceBytes.toString('hex', 8 * i, 8 * i + 8));
    await storeNonces(
      redis,
      vouchers.map((v) => v.voucher),
      nonces,
    );
    return new TillLoad(vouchers, nonces, tills, createSecretKey(Buffer.from(options.codeKey, 'utf8')), randomBytes(3).toString('hex'));
  }

  /**
   * Keeps the nonces of the vouchers not yet used alive (issuance gives a nonce the code's life
   * and a minute: a run's phases outlast it) until the answer is called.
   */
  keepNoncesAlive(redis: Redis): () => void {
    const ids = this.vouchers.map((v) => v.voucher);
    const timer = setInterval(() => {
      storeNonces(redis, ids, this.nonces, this.next).catch((error: unknown) => log(`renewing nonces failed: ${String(error)}`));
    }, NONCE_TTL_MS / 3);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** The next vouchers' redemptions, one a request, tallied into `tally`. */
  request(tally: TillTally): LoadRequest {
    return {
      method: 'POST',
      path: '/v1/redemptions',
      setupRequest: (request: { headers: Record<string, string>; path: string; body?: string }) => {
        const n = this.next++;
        if (n >= this.vouchers.length) throw new Error('the till load ran out of vouchers');
        const voucher = this.vouchers[n];
        const tills = this.tills.get(voucher.district) ?? [];
        const till = tills[n % tills.length];
        const code = signVoucherCode(
          { voucherId: voucher.voucher, residentId: voucher.holder, expiresAt: Math.floor(Date.now() / 1000) + CODE_POLICY.ttlSeconds, nonce: this.nonces[n] },
          this.codeKey,
        );
        request.headers = { ...request.headers, authorization: `Bearer ${till.token}`, 'content-type': 'application/json' };
        request.body = JSON.stringify({ code, orderAmountFen: 5000 + (n % 100) * 100, merchantOrderNo: `BFL-${this.runTag}-${n}` });
        return request;
      },
      onResponse: (status: number, body: string) => {
        if (status === 201) {
          tally.created += 1;
          tally.lastCreatedAt = performance.now();
          return;
        }
        let code = `HTTP_${status}`;
        try {
          code = `${status} ${(JSON.parse(body) as { code?: string }).code ?? ''}`.trim();
        } catch {
          // not JSON: keep the status alone
        }
        tally.other.set(code, (tally.other.get(code) ?? 0) + 1);
      },
    };
  }
}
