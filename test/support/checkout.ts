import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { newPublicId } from '@vouchers/common';
import { EligibilityIndex, eligibilityKeys, MerchantStatus } from '@vouchers/eligibility';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { bootApp } from './apps';
import { CampaignSpec, createActiveCampaign } from './campaigns';
import { openTestDatabase } from './database';
import { insertMerchantWithStaff, MerchantWithStaff, openTestRedis, TestRedis } from './merchant-accounts';
import { createVerifiedResidents, TestResident } from './residents';
import { bearer } from './tokens';

export interface TestTill extends MerchantWithStaff {
  district: string;
  category: string;
}

/**
 * A merchant straight in Postgres (onboarding has its own tests) with an admin and a cashier,
 * written to the eligibility index as the merchant app would.
 */
export async function createTill(
  db: DataSource,
  index: EligibilityIndex,
  options: { district?: string; category?: string; status?: MerchantStatus } = {},
): Promise<TestTill> {
  const district = options.district ?? 'haishu';
  const category = options.category ?? 'dining';
  const status = options.status ?? 'approved';
  const merchant = await insertMerchantWithStaff(db, { district, category, status });
  await index.put({ merchantId: merchant.merchantId, status, district, category });
  return { ...merchant, district, category };
}

/** Grabs a voucher of the round for the resident through the issuance app; returns its id. */
export async function grabVoucher(issuance: NestFastifyApplication, resident: TestResident, roundId: string): Promise<string> {
  const response = await request(issuance.getHttpServer()).post(`/v1/rounds/${roundId}/claims`).set(bearer(resident.token)).expect(201);
  return response.body.id as string;
}

/** A fresh checkout code for the resident's voucher, from the issuance app. */
export async function checkoutCode(issuance: NestFastifyApplication, resident: TestResident, voucherId: string): Promise<string> {
  const response = await request(issuance.getHttpServer()).post(`/v1/me/vouchers/${voucherId}/code`).set(bearer(resident.token)).expect(201);
  return response.body.code as string;
}

/**
 * Marks a redemption settled as a paid settlement batch would (a batch of a random 1990s day,
 * a line for it), for tests of what happens after settlement. Returns the line's id.
 */
export async function markSettled(db: DataSource, redemptionId: string): Promise<string> {
  const [batch] = await db.query(
    `INSERT INTO settlement_batches (public_id, business_date, status) VALUES ($1, DATE '1990-01-01' + $2::int, 'paid')
     ON CONFLICT (business_date) DO UPDATE SET status = 'paid' RETURNING id`,
    [newPublicId(), Math.floor(Math.random() * 3000)],
  );
  const [line] = await db.query(
    `INSERT INTO settlement_lines (public_id, batch_id, merchant_id, redemption_count, amount_fen, city_fen, district_fen, status)
     SELECT $1, $2, r.merchant_id, 1, r.discount_fen, r.city_fen, r.district_fen, 'paid' FROM redemptions r WHERE r.public_id = $3
     RETURNING id`,
    [newPublicId(), batch.id, redemptionId],
  );
  await db.query('UPDATE redemptions SET settlement_line_id = $1 WHERE public_id = $2', [line.id, redemptionId]);
  return line.id as string;
}

/** The fen by which postings fail to balance (0 when the ledger balances). */
export async function ledgerImbalance(db: DataSource): Promise<number> {
  const [{ imbalance }] = await db.query(
    `SELECT COALESCE(sum(abs(d)), 0)::bigint AS imbalance
       FROM (SELECT sum(debit_fen) - sum(credit_fen) AS d FROM ledger_entries GROUP BY posting_id) p`,
  );
  return Number(imbalance);
}

/** Both apps of the checkout on this run's Postgres and Redis, with the helpers the checkout tests share. */
export class CheckoutRig {
  issuance!: NestFastifyApplication;
  redemption!: NestFastifyApplication;
  db!: DataSource;
  redis!: TestRedis;
  index!: EligibilityIndex;
  private orderSeq = 0;

  async start(): Promise<this> {
    [this.issuance, this.redemption, this.db] = await Promise.all([bootApp('issuance'), bootApp('redemption'), openTestDatabase()]);
    this.redis = openTestRedis();
    this.index = this.redemption.get(EligibilityIndex);
    await this.redis.prefixed.set(eligibilityKeys.loaded, '1');
    return this;
  }

  async stop(): Promise<void> {
    await Promise.all([this.issuance.close(), this.redemption.close(), this.db.destroy()]);
    this.redis.prefixed.disconnect();
    this.redis.raw.disconnect();
  }

  /** A merchant order (or refund) number no other test uses. */
  orderNo(): string {
    return `POS-${process.pid}-${++this.orderSeq}-${Date.now()}`;
  }

  till(options: Parameters<typeof createTill>[2] = {}): Promise<TestTill> {
    return createTill(this.db, this.index, options);
  }

  /** A verified resident holding one voucher of a new active campaign. */
  async voucherFor(spec: CampaignSpec = {}): Promise<{ resident: TestResident; voucherId: string }> {
    const campaign = await createActiveCampaign(this.issuance, { quantity: [10], ...spec });
    const [resident] = await createVerifiedResidents(this.db, 1);
    return { resident, voucherId: await grabVoucher(this.issuance, resident, campaign.rounds[0]) };
  }

  /** A new voucher of `faceValueFen` (threshold four times it) redeemed at `till` on an order of `orderAmountFen`: the redemption's id. */
  async redeemNew(till: TestTill, faceValueFen: number, orderAmountFen: number): Promise<string> {
    const { resident, voucherId } = await this.voucherFor({ faceValueFen, thresholdFen: faceValueFen * 4 });
    return (await this.scan(till, await this.code(resident, voucherId), orderAmountFen).expect(201)).body.redemptionId;
  }

  code(resident: TestResident, voucherId: string): Promise<string> {
    return checkoutCode(this.issuance, resident, voucherId);
  }

  scan(till: TestTill, code: string, orderAmountFen: number, merchantOrderNo = this.orderNo(), token = till.cashierToken) {
    return request(this.redemption.getHttpServer()).post('/v1/redemptions').set(bearer(token)).send({ code, orderAmountFen, merchantOrderNo });
  }

  refund(till: TestTill, redemptionId: string, refundAmountFen: number, merchantRefundNo = this.orderNo(), token = till.cashierToken) {
    return request(this.redemption.getHttpServer())
      .post(`/v1/redemptions/${redemptionId}/refunds`)
      .set(bearer(token))
      .send({ refundAmountFen, merchantRefundNo });
  }

  async voucherStatus(voucherId: string): Promise<string> {
    const [row]: Array<{ status: string }> = await this.db.query('SELECT status FROM vouchers WHERE public_id = $1', [voucherId]);
    return row.status;
  }
}
