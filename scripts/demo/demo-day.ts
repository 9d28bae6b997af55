import { newPublicId } from '@vouchers/common';
import { ledgerAccounts, postToLedger } from '@vouchers/database';
import { readVoucherCode, signVoucherCode } from '@vouchers/voucher-code';
import { createSecretKey, randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { INSERT_DAY_CLAIMS, INSERT_DAY_REDEMPTIONS } from './demo-day.sql';

const DAY_MS = 86_400_000;
/** How long a checkout code lives (CODE_POLICY.ttlSeconds of @vouchers/voucher-code). */
const CODE_TTL_SECONDS = 60;

/** A moment of an Asia/Shanghai day (no daylight saving: always UTC+8). */
export const shanghaiTime = (day: string, time: string): Date => new Date(`${day}T${time}:00+08:00`);

/**
 * The demo day's business, in order of the day: which resident of the day (DemoPeople.dayResidents)
 * spent which voucher type (0: 满40减10, 1: 满100减30) at which merchant (DEMO_MERCHANTS), on
 * an order of how many fen, at what Shanghai time. Every sale is in the campaign's scope.
 */
const SALES: ReadonlyArray<readonly [resident: number, type: number, merchant: number, orderFen: number, time: string]> = [
  [0, 0, 0, 5600, '11:42'],
  [1, 0, 0, 4800, '12:15'],
  [1, 1, 1, 12800, '15:03'],
  [2, 1, 4, 23500, '16:48'],
  [3, 1, 1, 10600, '18:20'],
  [2, 0, 3, 6900, '20:31'],
];

export interface DemoDayInput {
  campaignId: string;
  validityDays: number;
  /** The past round of each voucher type: opened and closed on the day. */
  pastRounds: string[];
  roundOpensAt: Date;
  day: string;
  dayResidents: string[];
  cashiers: string[];
  voucherCodeKey: string;
}

/**
 * Vouchers grabbed when the day's rounds opened and spent at the tills during the day, written
 * by the statements of the two real paths (demo-day.sql.ts), each redemption posted to the
 * ledger as the till posts it. Runs once, when the demo campaign is made: a later seed finds
 * the day and leaves it alone.
 */
export async function seedDemoDay(manager: EntityManager, input: DemoDayInput): Promise<void> {
  const slots = new Map<number, number>();
  const claims = SALES.map(([resident, type], index) => {
    const slot = (slots.get(resident) ?? 0) + 1;
    slots.set(resident, slot);
    const claimedAt = new Date(input.roundOpensAt.getTime() + (index + 1) * 60_000);
    return { voucher: newPublicId(), round: input.pastRounds[type], resident: input.dayResidents[resident], slot, claimedAt };
  });
  const claimed: unknown[] = await manager.query(INSERT_DAY_CLAIMS, [
    input.campaignId,
    claims.map((c) => c.voucher),
    claims.map((c) => c.round),
    claims.map((c) => c.resident),
    claims.map((c) => c.slot),
    claims.map((c) => c.claimedAt.toISOString()),
    claims.map((c) => new Date(c.claimedAt.getTime() + input.validityDays * DAY_MS).toISOString()),
  ]);
  if (claimed.length !== SALES.length) throw new Error(`demo day: ${claimed.length} of ${SALES.length} vouchers claimed`);

  const key = createSecretKey(Buffer.from(input.voucherCodeKey, 'utf8'));
  const sales = SALES.map(([, , merchant, orderFen, time], index) => {
    const redeemedAt = shanghaiTime(input.day, time);
    // The digest of a genuine code for this voucher, as the till records the code it scanned.
    const code = signVoucherCode(
      {
        voucherId: claims[index].voucher,
        residentId: claims[index].resident,
        expiresAt: Math.floor(redeemedAt.getTime() / 1000) + CODE_TTL_SECONDS,
        nonce: randomBytes(8).toString('hex'),
      },
      key,
    );
    const reading = readVoucherCode(code, key);
    if (!reading.ok) throw new Error('demo day: a code signed here does not read back');
    return {
      voucher: claims[index].voucher,
      cashier: input.cashiers[merchant],
      orderFen,
      orderNo: `DEMO-${input.day.replace(/-/g, '')}-${String(index + 1).padStart(2, '0')}`,
      redeemedAt,
      digest: reading.digest,
    };
  });
  const redeemed: Array<{ redemptionId: string; discountFen: number; cityFen: number; districtFen: number; merchantId: string; district: string }> =
    await manager.query(INSERT_DAY_REDEMPTIONS, [
      sales.map((s) => s.voucher),
      sales.map(() => newPublicId()),
      sales.map((s) => s.cashier),
      sales.map((s) => s.orderFen),
      sales.map((s) => s.orderNo),
      sales.map((s) => s.redeemedAt.toISOString()),
      sales.map((s) => s.digest),
    ]);
  if (redeemed.length !== SALES.length) throw new Error(`demo day: ${redeemed.length} of ${SALES.length} sales redeemed`);
  for (const r of redeemed) {
    // The till's posting: the subsidy leaves the city's and the district's budgets, and the merchant is owed it.
    await postToLedger(manager, {
      refType: 'redemption',
      refId: r.redemptionId,
      legs: [
        { account: ledgerAccounts.cityBudget, debitFen: r.cityFen },
        { account: ledgerAccounts.districtBudget(r.district), debitFen: r.districtFen },
        { account: ledgerAccounts.payable(r.merchantId), creditFen: r.discountFen },
      ],
    });
  }
}
