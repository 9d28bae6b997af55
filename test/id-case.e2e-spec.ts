import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { bootApp } from './support/apps';
import { createActiveCampaign, officialToken } from './support/campaigns';
import { CheckoutRig, markSettled, TestTill } from './support/checkout';
import { commerceOfficial, insertMerchantWithStaff, merchantCode, randomPhoneStarting, registerMerchant } from './support/merchant-accounts';
import { createVerifiedResidents } from './support/residents';
import { financeOfficial, isolateThisFile } from './support/settlement';
import { bearer } from './support/tokens';

/** How a test spells the ids it sends: as the server wrote them (lower case), or upper-cased. */
type Spelling = (id: string) => string;
const AS_WRITTEN: Spelling = (id) => id;
const UPPER: Spelling = (id) => id.toUpperCase();

/** One route's request, made ready on fresh data: the public ids it sends, and the request with them spelled one way. */
interface Ready {
  ids: string[];
  send: (spell: Spelling) => request.Test;
}

/**
 * A public id is a UUID, which means the same in either case: every route that takes one
 * from a client (path, query or body) answers an upper-cased id as it answers the id as the
 * server wrote it, and never echoes the upper-case spelling back (lower case is the one
 * spelling inside: Redis keys, caches, signed codes and in-memory comparisons compare text).
 * Each route is asked twice on equal fresh data, once per spelling, so a write is not a retry.
 */
describe('public ids in either case', () => {
  const rig = new CheckoutRig();
  let merchantApp: NestFastifyApplication;
  let settlement: NestFastifyApplication;
  let db: DataSource;
  let dropDatabase: () => Promise<void>;

  const issuanceApi = () => request(rig.issuance.getHttpServer());
  const merchantApi = () => request(merchantApp.getHttpServer());
  const redemptionApi = () => request(rig.redemption.getHttpServer());
  const settlementApi = () => request(settlement.getHttpServer());

  /** A redemption at a fresh till, of a voucher of 3000 fen on an order of 20000 fen. */
  async function redemption(): Promise<{ till: TestTill; redemptionId: string }> {
    const { resident, voucherId } = await rig.voucherFor({ faceValueFen: 3000, thresholdFen: 10_000 });
    const till = await rig.till();
    const scanned = await rig.scan(till, await rig.code(resident, voucherId), 20_000).expect(201);
    return { till, redemptionId: scanned.body.redemptionId as string };
  }

  /** A settlement batch awaiting approval with one pending line (a settled redemption's, moved back before approval). */
  async function pendingBatch(): Promise<{ batchId: string; lineId: string }> {
    const lineRow = await markSettled(db, (await redemption()).redemptionId);
    const [row]: Array<{ line_id: string; batch_id: string }> = await db.query(
      `SELECT l.public_id AS line_id, b.public_id AS batch_id FROM settlement_lines l JOIN settlement_batches b ON b.id = l.batch_id WHERE l.id = $1`,
      [lineRow],
    );
    await db.query(`UPDATE settlement_lines SET status = 'pending' WHERE public_id = $1`, [row.line_id]);
    await db.query(`UPDATE settlement_batches SET status = 'pending_approval' WHERE public_id = $1`, [row.batch_id]);
    return { batchId: row.batch_id, lineId: row.line_id };
  }

  /** Two merchants whose staff share one number, which has a fresh sign-in code. */
  async function numberAtTwoMerchants(): Promise<{ phone: string; code: string; second: string }> {
    const [first, second] = [await insertMerchantWithStaff(db), await insertMerchantWithStaff(db)];
    const phone = randomPhoneStarting('17');
    await db.query('UPDATE merchant_staff SET phone = $1 WHERE public_id = ANY($2)', [phone, [first.cashierId, second.cashierId]]);
    return { phone, code: await merchantCode(merchantApp, rig.redis, phone), second: second.merchantId };
  }

  const ROUTES: Array<[string, () => Promise<Ready>]> = [
    [
      'POST /v1/rounds/:roundId/claims (the grab)',
      async () => {
        const { rounds } = await createActiveCampaign(rig.issuance, { quantity: [5] });
        const [resident] = await createVerifiedResidents(db, 1);
        return { ids: rounds, send: (spell) => issuanceApi().post(`/v1/rounds/${spell(rounds[0])}/claims`).set(bearer(resident.token)) };
      },
    ],
    [
      'POST /v1/me/vouchers/:voucherId/code (and the code scans)',
      async () => {
        const { resident, voucherId } = await rig.voucherFor({ faceValueFen: 3000, thresholdFen: 10_000 });
        return { ids: [voucherId], send: (spell) => issuanceApi().post(`/v1/me/vouchers/${spell(voucherId)}/code`).set(bearer(resident.token)) };
      },
    ],
    [
      'POST /v1/admin/campaigns/:campaignId/transitions',
      async () => {
        const { id } = await createActiveCampaign(rig.issuance, { quantity: [5] });
        return {
          ids: [id],
          send: (spell) => issuanceApi().post(`/v1/admin/campaigns/${spell(id)}/transitions`).set(bearer(officialToken())).send({ to: 'paused' }),
        };
      },
    ],
    [
      'GET /v1/public/merchants?campaignId=',
      async () => {
        const { id } = await createActiveCampaign(rig.issuance, { quantity: [5] });
        return { ids: [id], send: (spell) => merchantApi().get('/v1/public/merchants').query({ campaignId: spell(id) }) };
      },
    ],
    [
      'POST /v1/merchants/:merchantId/decisions',
      async () => {
        const merchant = await registerMerchant(merchantApp, rig.redis, { phone: randomPhoneStarting('17') });
        return {
          ids: [merchant.id],
          send: (spell) => merchantApi().post(`/v1/merchants/${spell(merchant.id)}/decisions`).set(bearer(commerceOfficial())).send({ to: 'approved', reason: '测试：核验通过' }),
        };
      },
    ],
    [
      'POST /v1/merchant/staff/:staffId/disable',
      async () => {
        const merchant = await insertMerchantWithStaff(db);
        return { ids: [merchant.cashierId], send: (spell) => merchantApi().post(`/v1/merchant/staff/${spell(merchant.cashierId)}/disable`).set(bearer(merchant.adminToken)) };
      },
    ],
    [
      'POST /v1/merchant/staff/:staffId/enable',
      async () => {
        const merchant = await insertMerchantWithStaff(db);
        await db.query('UPDATE merchant_staff SET disabled_at = now() WHERE public_id = $1', [merchant.cashierId]);
        return { ids: [merchant.cashierId], send: (spell) => merchantApi().post(`/v1/merchant/staff/${spell(merchant.cashierId)}/enable`).set(bearer(merchant.adminToken)) };
      },
    ],
    [
      'POST /v1/merchant-auth/otp/verify with merchantId',
      async () => {
        const { phone, code, second } = await numberAtTwoMerchants();
        return { ids: [second], send: (spell) => merchantApi().post('/v1/merchant-auth/otp/verify').send({ phone, code, merchantId: spell(second) }) };
      },
    ],
    [
      'POST /v1/redemptions/:redemptionId/refunds',
      async () => {
        const { till, redemptionId } = await redemption();
        const refundNo = rig.orderNo();
        return {
          ids: [redemptionId],
          send: (spell) =>
            redemptionApi().post(`/v1/redemptions/${spell(redemptionId)}/refunds`).set(bearer(till.cashierToken)).send({ refundAmountFen: 20_000, merchantRefundNo: refundNo }),
        };
      },
    ],
    [
      'GET /v1/settlement/batches/:batchId',
      async () => {
        const { batchId } = await pendingBatch();
        return { ids: [batchId], send: (spell) => settlementApi().get(`/v1/settlement/batches/${spell(batchId)}`).set(financeOfficial()) };
      },
    ],
    [
      'GET /v1/settlement/batches/:batchId/lines',
      async () => {
        const { batchId } = await pendingBatch();
        return { ids: [batchId], send: (spell) => settlementApi().get(`/v1/settlement/batches/${spell(batchId)}/lines`).set(financeOfficial()) };
      },
    ],
    [
      'POST /v1/settlement/batches/:batchId/lines/:lineId/hold',
      async () => {
        const { batchId, lineId } = await pendingBatch();
        return {
          ids: [batchId, lineId],
          send: (spell) =>
            settlementApi()
              .post(`/v1/settlement/batches/${spell(batchId)}/lines/${spell(lineId)}/hold`)
              .set(financeOfficial())
              .send({ reason: 'Bank account under review' }),
        };
      },
    ],
    [
      'GET /v1/settlement/batches/:batchId/reconciliation',
      async () => {
        const { batchId } = await pendingBatch();
        return { ids: [batchId], send: (spell) => settlementApi().get(`/v1/settlement/batches/${spell(batchId)}/reconciliation`).set(financeOfficial()) };
      },
    ],
  ];

  beforeAll(async () => {
    dropDatabase = await isolateThisFile();
    ({ db } = await rig.start());
    [merchantApp, settlement] = await Promise.all([bootApp('merchant'), bootApp('settlement')]);
  });

  afterAll(async () => {
    await Promise.all([merchantApp.close(), settlement.close()]);
    await rig.stop();
    await dropDatabase();
  });

  describe.each(ROUTES)('%s', (_route, ready) => {
    it('answers an upper-cased id as it answers the id as written, and echoes it in lower case', async () => {
      const [asWritten, upper] = [await ready(), await ready()];
      const expected = await asWritten.send(AS_WRITTEN);
      expect(expected.status).toBeLessThan(300);
      const answer = await upper.send(UPPER);
      const shape = (response: request.Response) => ({
        status: response.status,
        refusal: response.status >= 400 ? response.body.code : null,
        fields: Object.keys(response.body).sort(),
      });
      expect(shape(answer)).toEqual(shape(expected));
      const text = JSON.stringify(answer.body);
      for (const id of upper.ids) expect(text).not.toContain(id.toUpperCase());
    });
  });

  it('a checkout code issued for an upper-cased voucher id scans at the till', async () => {
    const { resident, voucherId } = await rig.voucherFor({ faceValueFen: 3000, thresholdFen: 10_000 });
    const code = await rig.code(resident, voucherId.toUpperCase());
    const scanned = await rig.scan(await rig.till(), code, 20_000).expect(201);
    expect(scanned.body.voucherId).toBe(voucherId);
  });
});
