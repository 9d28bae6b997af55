// The new-campaign form's checks and request (campaign-form.ts): a lottery round's sign-up
// window and planned draw, refused by field as the API refuses them (campaign-rules.ts).
import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../shared/api';
import { type CampaignInput, emptyCampaign, emptyRound, fieldRefusalOf, requestOf } from './campaign-form';

function campaign(round: Partial<ReturnType<typeof emptyRound>>, fields: Partial<CampaignInput> = {}): CampaignInput {
  const input = emptyCampaign();
  Object.assign(input, { name: '摇号活动', categories: ['dining'], budgetYuan: '1000', ...fields });
  Object.assign(input.voucherTypes[0], { name: '满40减10', faceYuan: '10', thresholdYuan: '40', rounds: [{ ...emptyRound(), ...round }] });
  return input;
}

const SOURCE = '上海证券交易所公布的 2026-12-03 上证指数收盘点数';
const LOTTERY = {
  kind: 'lottery' as const, signupOpensAt: '2026-12-01T10:00:00', signupClosesAt: '2026-12-03T10:00:00', opensAt: '2026-12-04T10:00:00', quantity: 5,
  publicValueSource: SOURCE,
};
const roundsOf = (body: unknown) => (body as { voucherTypes: Array<{ rounds: unknown[] }> }).voucherTypes[0].rounds;

describe('the new-campaign form', () => {
  it('sends a lottery round with its sign-up window, planned draw and public value source (trimmed), in Beijing time, and no grab end', () => {
    const { problems, body } = requestOf(campaign({ ...LOTTERY, closesAt: '2026-12-09T10:00:00', publicValueSource: `  ${SOURCE}\n` }), true);
    expect(problems).toEqual({});
    expect(roundsOf(body)).toEqual([
      {
        kind: 'lottery', opensAt: '2026-12-04T10:00:00+08:00', signupOpensAt: '2026-12-01T10:00:00+08:00', signupClosesAt: '2026-12-03T10:00:00+08:00',
        publicValueSource: SOURCE, quantity: 5, stockBuckets: 1,
      },
    ]);
  });

  it('sends a grab round as before, with no sign-up window and no source', () => {
    const { problems, body } = requestOf(campaign({ opensAt: '2026-12-01T10:00:00', signupOpensAt: '2026-11-01T10:00:00', publicValueSource: SOURCE }), true);
    expect(problems).toEqual({});
    expect(roundsOf(body)).toEqual([{ kind: 'grab', opensAt: '2026-12-01T10:00:00+08:00', quantity: 1000, stockBuckets: 1 }]);
  });

  it('needs both ends of the sign-up window, the close after the opening (SIGNUP_WINDOW_INVALID)', () => {
    expect(requestOf(campaign({ ...LOTTERY, signupOpensAt: '', signupClosesAt: '' }), true).problems).toEqual({
      'types.0.rounds.0.signupOpensAt': 'required',
      'types.0.rounds.0.signupClosesAt': 'required',
    });
    expect(requestOf(campaign({ ...LOTTERY, signupClosesAt: '2026-12-01T10:00:00' }), true).problems).toEqual({
      'types.0.rounds.0.signupClosesAt': 'signupClosesBeforeOpens',
    });
  });

  it("closes sign-up before the vouchers' validity ends, and opens every round before it (VALID_UNTIL_BEFORE_ROUND)", () => {
    const until = (validUntil: string) => requestOf(campaign(LOTTERY, { validUntil, validityDays: null }), true);
    expect(until('2026-12-03T10:00:00').problems).toEqual({
      'types.0.rounds.0.opensAt': 'opensAfterValidity',
      'types.0.rounds.0.signupClosesAt': 'signupAfterValidity',
    });
    expect(until('2026-12-03T12:00:00').problems).toEqual({ 'types.0.rounds.0.opensAt': 'opensAfterValidity' });
    const fine = until('2026-12-31T23:59:59');
    expect(fine.problems).toEqual({});
    expect(fine.body).toMatchObject({ validUntil: '2026-12-31T23:59:59+08:00' });
    expect(fine.body).not.toHaveProperty('validityDays');
  });

  it('needs days of validity or its end, dates in 2000-2099, and a grab that closes after it opens', () => {
    expect(requestOf(campaign(LOTTERY, { validityDays: null }), true).problems).toEqual({ validityDays: 'validityRequired' });
    expect(requestOf(campaign({ ...LOTTERY, signupOpensAt: '1999-12-01T10:00:00' }), true).problems).toEqual({ 'types.0.rounds.0.signupOpensAt': 'dateOutOfRange' });
    expect(requestOf(campaign({ opensAt: '2026-12-01T10:00:00', closesAt: '2026-12-01T10:00:00' }), true).problems).toEqual({
      'types.0.rounds.0.closesAt': 'closesBeforeOpens',
    });
  });

  it("needs a lottery round's public value source, at most 200 characters once trimmed (PUBLIC_VALUE_SOURCE_INVALID)", () => {
    expect(requestOf(campaign({ ...LOTTERY, publicValueSource: ' \t ' }), true).problems).toEqual({ 'types.0.rounds.0.publicValueSource': 'required' });
    expect(requestOf(campaign({ ...LOTTERY, publicValueSource: '源'.repeat(201) }), true).problems).toEqual({
      'types.0.rounds.0.publicValueSource': 'sourceTooLong',
    });
    expect(requestOf(campaign({ ...LOTTERY, publicValueSource: ` ${'源'.repeat(200)} ` }), true).problems).toEqual({});
  });

  it("shows the API's refusal of a source by the round's field, and other refusals as a whole", () => {
    const refusal = (code: string, details: unknown) => fieldRefusalOf(new ApiError(400, code, 'refused', null, details));
    expect(refusal('PUBLIC_VALUE_SOURCE_INVALID', { field: 'voucherTypes.1.rounds.2.publicValueSource' })).toEqual({
      path: 'types.1.rounds.2.publicValueSource',
      key: 'PUBLIC_VALUE_SOURCE_INVALID',
    });
    expect(refusal('VALIDATION_FAILED', { problems: ['name must be shorter', 'voucherTypes.0.rounds.0.publicValueSource must hold a visible character and no control character'] })).toEqual({
      path: 'types.0.rounds.0.publicValueSource',
      key: 'sourceInvalid',
    });
    expect(refusal('VALIDATION_FAILED', { problems: ['voucherTypes.0.rounds.0.quantity must not be less than 1'] })).toBeNull();
    expect(refusal('CAMPAIGN_OVER_BUDGET', { committedFen: '1', budgetFen: 0 })).toBeNull();
    expect(fieldRefusalOf(new Error('offline'))).toBeNull();
  });
});
