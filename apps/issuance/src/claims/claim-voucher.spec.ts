import { AppError, newPublicId } from '@vouchers/common';
import { Role } from '@vouchers/auth';
import { AdmissionLoader } from './admission-loader';
import { AdmissionStore, ReserveOutcome } from './admission.store';
import { ClaimVoucher } from './claim-voucher.usecase';
import { ClaimWriter } from './claim-writer';
import { HeldVouchers } from './held-vouchers';
import { ResidentVouchers } from './resident-vouchers';
import { RoundCatalog, RoundInfo } from './round-catalog';
import { StockBuckets } from './stock-buckets';

const ROUND: RoundInfo = {
  roundId: newPublicId(),
  kind: 'grab',
  stockBuckets: 4,
  internalRoundId: '7',
  campaignId: newPublicId(),
  internalCampaignId: '3',
  voucherTypeId: '5',
  campaignName: 'dining',
  voucherTypeName: '满40减10',
  faceValueFen: 1000,
  thresholdFen: 4000,
  validityDays: 7,
  validUntil: null,
  categories: ['dining'],
  districts: [],
};

/**
 * The grab's decision when its bucket is dry (a pure unit: stand-ins answer for Redis and the
 * writer; what is under test is what the grab does with their answers). The rush and the
 * buckets' e2e tests run the same code on real Redis and Postgres.
 */
function grabWith(answers: { reserves: ReserveOutcome['outcome'][]; borrow: boolean; soldOutEverywhere: boolean[] }) {
  const reserves = [...answers.reserves];
  const soldOut = [...answers.soldOutEverywhere];
  const calls = { reserve: 0, borrow: 0, soldOutEverywhere: 0 };
  const admission = {
    maker: 'life-1',
    reserve: async (): Promise<ReserveOutcome> => {
      calls.reserve += 1;
      const outcome = reserves.shift() ?? 'SOLD_OUT';
      return outcome === 'OK' ? { outcome, voucherId: newPublicId(), slot: 1, generation: 'g1' } : ({ outcome } as ReserveOutcome);
    },
    forgetSoon: () => undefined,
  } as unknown as AdmissionStore;
  const buckets = {
    knownSoldOut: () => false,
    noteSoldOut: () => undefined,
    borrow: async () => {
      calls.borrow += 1;
      return answers.borrow;
    },
    soldOutEverywhere: async () => {
      calls.soldOutEverywhere += 1;
      return soldOut.shift() ?? true;
    },
  } as unknown as StockBuckets;
  const rounds = { find: async () => ROUND } as unknown as RoundCatalog;
  const writer = { write: async () => 'inserted' } as unknown as ClaimWriter;
  const claim = new ClaimVoucher(rounds, admission, {} as AdmissionLoader, writer, {} as ResidentVouchers, {} as HeldVouchers, buckets);
  const resident = { sub: newPublicId(), role: Role.Resident, verified: true };
  return { run: () => claim.execute(resident, ROUND.roundId), calls };
}

describe('ClaimVoucher: a grab whose bucket is dry', () => {
  it('tries again, not 503, when no bucket could lend but more than K remain (stock between a move’s take and give)', async () => {
    const grab = grabWith({ reserves: ['SOLD_OUT', 'OK'], borrow: false, soldOutEverywhere: [false] });
    await expect(grab.run()).resolves.toMatchObject({ created: true });
    expect(grab.calls).toEqual({ reserve: 2, borrow: 1, soldOutEverywhere: 1 });
  });

  it('is told sold out once no bucket could lend and at most K remain', async () => {
    const grab = grabWith({ reserves: ['SOLD_OUT'], borrow: false, soldOutEverywhere: [true, true] });
    await expect(grab.run()).rejects.toMatchObject({ code: 'SOLD_OUT' });
    expect(grab.calls.reserve).toBe(1);
  });

  it('is told to try again (503) when its moves run out while more than K still remain', async () => {
    const grab = grabWith({ reserves: [], borrow: false, soldOutEverywhere: Array.from({ length: 20 }, () => false) });
    const refusal = await grab.run().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ code: 'ADMISSION_UNAVAILABLE' });
    // The first reserve, then one a move: 16 (BORROW_ATTEMPTS).
    expect(grab.calls.reserve).toBe(17);
  });
});
