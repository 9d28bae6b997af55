// A lottery round's state in words on the campaign page (lottery-state.ts): the sentence for
// each stage, and the steps offered to whom: the public value proposed by one official and
// confirmed only by another, the draw only in an active campaign, a saved draw finished.
import { describe, expect, it } from '@jest/globals';
import type { AdminLottery } from './campaign-types';
import { lotteryStateOf, shortHash, winnersToldSays } from './lottery-state';

const ME = '0190a5b2-0000-7000-8000-00000000000a';
const OTHER = '0190a5b2-0000-7000-8000-00000000000b';
const time = (iso: string | null) => `T(${iso ?? '-'})`;

function round(fields: Partial<AdminLottery> = {}): AdminLottery {
  return {
    roundId: '0190a5b2-0000-7000-8000-0000000000ff', voucherTypeId: '0190a5b2-0000-7000-8000-0000000000fe', quantity: 5,
    signupOpensAt: '2026-12-01T02:00:00.000Z', signupClosesAt: '2026-12-03T02:00:00.000Z', stage: 'signup_pending',
    commitment: 'ab'.repeat(32), publicValueSource: 'SSE close of 2026-12-03', entrants: 0, frozenAt: null, entrantsDigest: null,
    proposedValue: null, proposedBy: null, proposedByName: null, proposedAt: null,
    publicValue: null, confirmedBy: null, confirmedByName: null, confirmedAt: null,
    drawnAt: null, publishedAt: null, winners: null, skipped: null, winnersTold: null,
    ...fields,
  };
}

const proposed = round({ stage: 'signup_closed', entrants: 12 });
const byOther = round({ stage: 'value_proposed', entrants: 12, proposedValue: 'SSE 3412.57', proposedBy: OTHER, proposedByName: '市商务局 演示 B', proposedAt: '2026-12-03T08:00:00.000Z' });
const agreed = round({ ...byOther, stage: 'value_agreed', publicValue: 'SSE 3412.57', confirmedBy: ME, confirmedByName: '市商务局 演示 A' });

describe('a lottery round in words', () => {
  it('says the sign-up window and the entrants so far, and offers no step before the close', () => {
    const pending = lotteryStateOf(round(), 'active', ME, time);
    expect(pending).toMatchObject({ says: 'signup_pending', values: { opens: 'T(2026-12-01T02:00:00.000Z)', closes: 'T(2026-12-03T02:00:00.000Z)' }, notes: [] });
    expect([pending.propose, pending.confirm, pending.draw]).toEqual(['none', false, 'none']);
    expect(pending.files).toEqual(['lottery']);
    const open = lotteryStateOf(round({ stage: 'signup_open', entrants: 7 }), 'active', ME, time);
    expect(open).toMatchObject({ says: 'signup_open', values: { n: 7 }, propose: 'none', files: ['lottery'] });
  });

  it('warns that nobody can sign up unless the campaign is active, and publishes nothing of a draft', () => {
    expect(lotteryStateOf(round(), 'scheduled', ME, time).notes).toEqual(['activateBeforeSignup']);
    expect(lotteryStateOf(round({ stage: 'signup_open' }), 'paused', ME, time).notes).toEqual(['notActiveSignup']);
    const draft = lotteryStateOf(round({ stage: 'signup_closed' }), 'draft', ME, time);
    expect([draft.notes, draft.files, draft.propose]).toEqual([['draft'], [], 'none']);
  });

  it('asks for the public value once sign-up closed, and lists the frozen entrants', () => {
    const closed = lotteryStateOf(proposed, 'active', ME, time);
    expect(closed).toMatchObject({ says: 'signup_closed', values: { n: 12 }, propose: 'first', confirm: false, draw: 'none' });
    expect(closed.files).toEqual(['lottery', 'entrants']);
  });

  it('offers a value proposed by another official for confirmation, by their name', () => {
    const state = lotteryStateOf(byOther, 'active', ME, time);
    expect(state).toMatchObject({ says: 'value_proposed', values: { name: '市商务局 演示 B', value: 'SSE 3412.57', at: 'T(2026-12-03T08:00:00.000Z)' } });
    expect([state.confirm, state.propose, state.notes]).toEqual([true, 'none', ['checkBeforeConfirm']]);
  });

  it('never offers the proposer their own confirmation (four eyes): they may change their proposal', () => {
    const state = lotteryStateOf(byOther, 'active', OTHER, time);
    expect([state.says, state.confirm, state.propose, state.notes]).toEqual(['value_proposed_by_me', false, 'change', ['youProposed']]);
    // Signed out (no id known): no one to tell apart, so nothing is offered as the proposer's.
    expect(lotteryStateOf(byOther, 'active', null, time).confirm).toBe(true);
    // A proposer whose account the read did not find is shown by the start of their id.
    expect(lotteryStateOf({ ...byOther, proposedByName: null }, 'active', ME, time).values.name).toBe('0190a5b2…');
  });

  it('offers the draw once two agreed, blocked with a reason while the campaign is not active', () => {
    const ready = lotteryStateOf(agreed, 'active', ME, time);
    expect(ready).toMatchObject({ says: 'value_agreed', values: { proposer: '市商务局 演示 B', confirmer: '市商务局 演示 A' }, draw: 'draw', drawBlocked: false, notes: [] });
    expect(ready.confirm).toBe(false);
    const paused = lotteryStateOf(agreed, 'paused', ME, time);
    expect([paused.draw, paused.drawBlocked, paused.notes]).toEqual(['draw', true, ['notActiveDraw']]);
  });

  it('offers to finish a draw saved but not published, in any status (drawing again finishes it)', () => {
    const saved = lotteryStateOf({ ...agreed, stage: 'drawn_unpublished', drawnAt: '2026-12-04T02:00:00.000Z' }, 'paused', ME, time);
    expect([saved.says, saved.draw, saved.drawBlocked]).toEqual(['drawn_unpublished', 'finish', false]);
    expect(saved.files).toEqual(['lottery', 'entrants']);
  });

  it('says the draw: entrants, winners, and skips only when there were any', () => {
    const drawn = { ...agreed, stage: 'drawn' as const, drawnAt: '2026-12-04T02:00:00.000Z', publishedAt: '2026-12-04T02:00:01.000Z', winners: 5, skipped: 0 };
    const state = lotteryStateOf(drawn, 'active', ME, time);
    expect(state).toMatchObject({ says: 'drawn', values: { n: 12, winners: 5, at: 'T(2026-12-04T02:00:00.000Z)' }, draw: 'none', propose: 'none' });
    expect(state.files).toEqual(['lottery', 'entrants', 'results']);
    expect(lotteryStateOf({ ...drawn, skipped: 2 }, 'ended', ME, time)).toMatchObject({ says: 'drawn_with_skips', values: { skipped: 2 } });
  });

  it('shortens a hash for the eye, keeping both ends', () => {
    expect(shortHash('0123456789abcdef'.repeat(4))).toBe('0123456789…89abcdef');
  });

  it('says how the winners were told by SMS, or that the sending has not started', () => {
    expect(winnersToldSays({ sent: 0, waiting: 0, failed: 0, unknown: 0 })).toEqual({ says: 'toldNotYet', values: {} });
    expect(winnersToldSays({ sent: 3, waiting: 1, failed: 0, unknown: 0 })).toEqual({ says: 'told', values: { sent: 3, waiting: 1, failed: 0, unknown: 0 } });
  });
});
