import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { newPublicId } from '@vouchers/common';
import { EligibilityIndex, MerchantStatus } from '@vouchers/eligibility';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { newCreditCode, randomPhoneStarting } from './merchant-accounts';
import { TestResident } from './residents';
import { bearer, tokenFor } from './tokens';

export interface TestTill {
  /** Public id of the merchant. */
  merchantId: string;
  district: string;
  category: string;
  cashierId: string;
  cashierToken: string;
  adminToken: string;
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
  const merchantId = newPublicId();
  const district = options.district ?? 'haishu';
  const category = options.category ?? 'dining';
  const status = options.status ?? 'approved';
  const [{ id }]: Array<{ id: string }> = await db.query(
    `INSERT INTO merchants (public_id, credit_code, registered_name, shop_name, district, category, address, status)
     VALUES ($1, $2, '测试餐饮有限公司', '测试小馆', $3, $4, '宁波市测试路1号', $5) RETURNING id`,
    [merchantId, newCreditCode(), district, category, status],
  );
  const cashierId = newPublicId();
  const adminId = newPublicId();
  await db.query(
    `INSERT INTO merchant_staff (public_id, merchant_id, phone, name, role)
     VALUES ($1, $3, $4, '收银员', 'merchant_staff'), ($2, $3, $5, '店长', 'merchant_admin')`,
    [cashierId, adminId, id, randomPhoneStarting('16'), randomPhoneStarting('16')],
  );
  await index.put({ merchantId, status, district, category });
  return {
    merchantId,
    district,
    category,
    cashierId,
    cashierToken: tokenFor({ sub: cashierId, role: Role.MerchantStaff, merchantId }),
    adminToken: tokenFor({ sub: adminId, role: Role.MerchantAdmin, merchantId }),
  };
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

/** Every posting balances and, over all, debits equal credits: the fen that do not (0 when the ledger balances). */
export async function ledgerImbalance(db: DataSource): Promise<number> {
  const [{ imbalance }] = await db.query(
    `SELECT COALESCE(sum(abs(d)), 0)::bigint AS imbalance
       FROM (SELECT sum(debit_fen) - sum(credit_fen) AS d FROM ledger_entries GROUP BY posting_id) p`,
  );
  return Number(imbalance);
}
