import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { creditCodeCheckChar, newPublicId } from '@vouchers/common';
import { eligibilityKeys } from '@vouchers/eligibility';
import { otpKeysFor } from '@vouchers/otp';
import { connectRedis, Redis } from '@vouchers/redis';
import { randomInt } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { bootApp } from './apps';
import { openTestDatabase } from './database';
import { bearer, tokenFor } from './tokens';
import { keysMatching } from './redis-keys';

const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const merchantOtpKeys = otpKeysFor('merchant');

/** A valid 统一社会信用代码 no other test will draw: 17 random characters and their check character. */
export function newCreditCode(): string {
  const first17 = Array.from({ length: 17 }, () => CREDIT_CODE_ALPHABET[randomInt(0, CREDIT_CODE_ALPHABET.length)]).join('');
  return first17 + creditCodeCheckChar(first17);
}

/** A mainland mobile number starting with the given two digits (each test file keeps to its own). */
export const randomPhoneStarting = (prefix: string) => `${prefix}${randomInt(0, 1_000_000_000).toString().padStart(9, '0')}`;

export const randomAccountNumber = () => `6222${randomInt(0, 1_000_000_000_000).toString().padStart(12, '0')}${randomInt(100, 1000)}`;

export const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));

/**
 * Clients for the run's Redis: `prefixed` like the app's own, `raw` to find keys by pattern.
 * Every request in a test comes from one address, so the per-address limits of one-time codes
 * (shared by residents' and merchants' codes) are lifted before each code, as if each came
 * from another network.
 */
export interface TestRedis {
  prefixed: Redis;
  raw: Redis;
  prefix: string;
}

export function openTestRedis(): TestRedis {
  const prefix = process.env.REDIS_KEY_PREFIX as string;
  return {
    prefixed: connectRedis(process.env.REDIS_URL as string, { keyPrefix: prefix }),
    raw: connectRedis(process.env.REDIS_URL as string),
    prefix,
  };
}

export async function deleteKeys(redis: TestRedis, pattern: string): Promise<number> {
  const keys = await keysMatching(redis.raw, `${redis.prefix}${pattern}`);
  const deleted = await Promise.all(keys.map((key) => redis.raw.del(key)));
  return deleted.reduce((sum, n) => sum + n, 0);
}

/** Sends a merchant one-time code to the number (lifting its cool-down and the address limits) and answers the code. */
export async function merchantCode(app: NestFastifyApplication, redis: TestRedis, phone: string): Promise<string> {
  await redis.prefixed.del(merchantOtpKeys.cooldown(phone));
  await deleteKeys(redis, 'rl:otp*:ip:{*');
  const sent = await request(app.getHttpServer()).post('/v1/merchant-auth/otp').send({ phone }).expect(202);
  return sent.body.devCode as string;
}

export interface RegisteredMerchant {
  id: string;
  adminId: string;
  adminPhone: string;
  token: string;
  creditCode: string;
  accountNumber: string;
  shopName: string;
  district: string;
}

/** A registration body that passes every check, with the code still to add. */
export function registrationBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    creditCode: newCreditCode(),
    registeredName: '宁波测试餐饮有限公司',
    shopName: `测试小馆 ${randomInt(0, 1_000_000)}`,
    district: 'haishu',
    category: 'dining',
    address: '海曙区中山西路 1 号',
    latitude: 29.8683,
    longitude: 121.544,
    contactPhone: '0574-8888 8888',
    bankAccountName: '宁波测试餐饮有限公司',
    bankName: '中国工商银行宁波分行',
    bankAccountNumber: randomAccountNumber(),
    ...overrides,
  };
}

/** Registers a merchant through the API (code, then registration): pending, with its admin signed in. */
export async function registerMerchant(
  app: NestFastifyApplication,
  redis: TestRedis,
  options: { phone: string; body?: Record<string, unknown> },
): Promise<RegisteredMerchant> {
  const code = await merchantCode(app, redis, options.phone);
  const body = registrationBody(options.body);
  const response = await request(app.getHttpServer())
    .post('/v1/merchant-registrations')
    .send({ ...body, phone: options.phone, code })
    .expect(201);
  return {
    id: response.body.merchant.id,
    adminId: response.body.staff.id,
    adminPhone: options.phone,
    token: response.body.accessToken,
    creditCode: body.creditCode as string,
    accountNumber: body.bankAccountNumber as string,
    shopName: body.shopName as string,
    district: body.district as string,
  };
}

/** A commerce official's token: city-wide, or limited to one district. */
export const commerceOfficial = (district?: string) =>
  tokenFor({ role: Role.CommerceOfficial, ...(district ? { district } : {}) }, { expiresIn: 3600 });

/** An official's decision on a merchant, answered as it comes (the caller checks the status). */
export function decide(app: NestFastifyApplication, merchantId: string, to: string, options: { token?: string; reason?: string } = {}) {
  return request(app.getHttpServer())
    .post(`/v1/merchants/${merchantId}/decisions`)
    .set(bearer(options.token ?? commerceOfficial()))
    .send({ to, reason: options.reason ?? `测试：${to}` });
}

/**
 * Removes the merchants whose staff include one of these numbers, their staff, their bank
 * account changes and their index entries (audit rows stay: the log is append-only). Other tests list the registry and
 * count what they find, so each file takes its merchants away when it ends.
 */
export async function deleteMerchantsOf(db: DataSource, redis: TestRedis, phones: Iterable<string>): Promise<void> {
  const rows: Array<{ public_id: string }> = await db.query(
    `SELECT DISTINCT m.public_id FROM merchants m JOIN merchant_staff s ON s.merchant_id = m.id WHERE s.phone = ANY($1)`,
    [[...phones]],
  );
  const ids = rows.map((row) => row.public_id);
  if (ids.length === 0) return;
  await db.transaction(async (manager) => {
    await manager.query('DELETE FROM merchant_bank_account_changes WHERE merchant_id IN (SELECT id FROM merchants WHERE public_id = ANY($1))', [ids]);
    await manager.query('DELETE FROM merchant_staff WHERE merchant_id IN (SELECT id FROM merchants WHERE public_id = ANY($1))', [ids]);
    await manager.query('DELETE FROM merchants WHERE public_id = ANY($1)', [ids]);
  });
  await Promise.all(ids.map((id) => redis.prefixed.del(eligibilityKeys.merchant(id))));
}

/** Random numbers with a file's own prefix (the database and Redis are shared by the run), remembered for clean-up. */
export function phoneBook(prefix: string): { randomPhone: () => string; usedPhones: Set<string> } {
  const usedPhones = new Set<string>();
  const randomPhone = () => {
    const phone = randomPhoneStarting(prefix);
    usedPhones.add(phone);
    return phone;
  };
  return { randomPhone, usedPhones };
}

/** A merchant straight in Postgres with an active admin and cashier, and their tokens. */
export interface MerchantWithStaff {
  /** Public id of the merchant. */
  merchantId: string;
  cashierId: string;
  adminId: string;
  cashierToken: string;
  adminToken: string;
}

/**
 * Inserts a merchant and its two staff rows (merchant-side routes read the caller's staff row,
 * so a token of staff that does not exist is refused as STAFF_INACTIVE).
 */
export async function insertMerchantWithStaff(
  db: DataSource,
  options: { district?: string; category?: string; status?: string } = {},
): Promise<MerchantWithStaff> {
  const merchantId = newPublicId();
  const [{ id }]: Array<{ id: string }> = await db.query(
    `INSERT INTO merchants (public_id, credit_code, registered_name, shop_name, district, category, address, status)
     VALUES ($1, $2, '测试餐饮有限公司', '测试小馆', $3, $4, '宁波市测试路1号', $5) RETURNING id`,
    [merchantId, newCreditCode(), options.district ?? 'haishu', options.category ?? 'dining', options.status ?? 'approved'],
  );
  const cashierId = newPublicId();
  const adminId = newPublicId();
  await db.query(
    `INSERT INTO merchant_staff (public_id, merchant_id, phone, name, role)
     VALUES ($1, $3, $4, '收银员', 'merchant_staff'), ($2, $3, $5, '店长', 'merchant_admin')`,
    [cashierId, adminId, id, randomPhoneStarting('16'), randomPhoneStarting('16')],
  );
  return {
    merchantId,
    cashierId,
    adminId,
    cashierToken: tokenFor({ sub: cashierId, role: Role.MerchantStaff, merchantId }),
    adminToken: tokenFor({ sub: adminId, role: Role.MerchantAdmin, merchantId }),
  };
}

/** The merchant app with the run's database and Redis, for a test file whose merchants are those of `usedPhones`. */
export interface MerchantAppRig {
  app: NestFastifyApplication;
  db: DataSource;
  redis: TestRedis;
  /** Takes the file's merchants away (deleteMerchantsOf) and closes everything. */
  close: () => Promise<void>;
}

export async function openMerchantApp(usedPhones: Iterable<string>): Promise<MerchantAppRig> {
  const [app, db] = await Promise.all([bootApp('merchant'), openTestDatabase()]);
  const redis = openTestRedis();
  return {
    app,
    db,
    redis,
    close: async () => {
      await deleteMerchantsOf(db, redis, usedPhones);
      redis.prefixed.disconnect();
      redis.raw.disconnect();
      await db.destroy();
      await app.close();
    },
  };
}
