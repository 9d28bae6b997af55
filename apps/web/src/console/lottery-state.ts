// A lottery round (摇号) as the campaign page says it: its state in one sentence (a key under
// `lottery.says` of messages.ts and its values), the notes that matter to the official reading
// it, the steps that make sense for them now, and the published files there are to link to.
// The API decides every step again (four eyes included); this only keeps the page from offering
// a step the API would refuse, and says why.
import type { AdminLottery, CampaignStatus } from './campaign-types';

export interface LotteryState {
  /** Key under `lottery.says`: the round's state in words. */
  says: string;
  values: Record<string, string | number>;
  /** Keys under `lottery.notes`, in the order shown. */
  notes: string[];
  /** The public value: propose it first, or change one's own proposal (never another's). */
  propose: 'none' | 'first' | 'change';
  /** Confirm the value another official proposed. */
  confirm: boolean;
  /** Draw, or finish a draw saved but not published (drawing again finishes it). */
  draw: 'none' | 'draw' | 'finish';
  /** The draw is offered but the campaign must be active first (the API answers CAMPAIGN_NOT_ACTIVE). */
  drawBlocked: boolean;
  /** Published files that exist now: the commitment, the frozen entrant list, the results. */
  files: Array<'lottery' | 'entrants' | 'results'>;
}

/** Says a time (Beijing, to the minute, in the page). */
export type TimeWords = (iso: string | null) => string;

const CLOSED_STAGES = new Set(['signup_closed', 'value_proposed', 'value_agreed', 'drawn_unpublished', 'drawn']);

/**
 * The state of a lottery round for the official `me` (their public id) in a campaign of this
 * status. A draft's rounds are not public yet: the API finds none of their steps or files.
 */
export function lotteryStateOf(round: AdminLottery, campaign: CampaignStatus, me: string | null, time: TimeWords): LotteryState {
  const state: LotteryState = { says: round.stage, values: {}, notes: [], propose: 'none', confirm: false, draw: 'none', drawBlocked: false, files: [] };
  const active = campaign === 'active';
  const window = { opens: time(round.signupOpensAt), closes: time(round.signupClosesAt), n: round.entrants };
  if (campaign === 'draft') {
    return { ...state, values: window, notes: ['draft'] };
  }
  state.files = ['lottery', ...(CLOSED_STAGES.has(round.stage) ? (['entrants'] as const) : []), ...(round.stage === 'drawn' ? (['results'] as const) : [])];
  switch (round.stage) {
    case 'signup_pending':
      return { ...state, values: window, notes: active ? [] : ['activateBeforeSignup'] };
    case 'signup_open':
      return { ...state, values: window, notes: active ? [] : ['notActiveSignup'] };
    case 'signup_closed':
      return { ...state, values: window, propose: 'first' };
    case 'value_proposed': {
      const values = { ...window, value: round.proposedValue ?? '', name: round.proposedByName ?? shortId(round.proposedBy), at: time(round.proposedAt) };
      const mine = me !== null && round.proposedBy === me;
      return mine
        ? { ...state, says: 'value_proposed_by_me', values, notes: ['youProposed'], propose: 'change' }
        : { ...state, values, notes: ['checkBeforeConfirm'], confirm: true };
    }
    case 'value_agreed': {
      const values = {
        ...window,
        value: round.publicValue ?? '',
        proposer: round.proposedByName ?? shortId(round.proposedBy),
        confirmer: round.confirmedByName ?? shortId(round.confirmedBy),
      };
      return { ...state, values, draw: 'draw', drawBlocked: !active, notes: active ? [] : ['notActiveDraw'] };
    }
    case 'drawn_unpublished':
      return { ...state, values: { ...window, value: round.publicValue ?? '' }, draw: 'finish' };
    case 'drawn':
      return {
        ...state,
        says: round.skipped ? 'drawn_with_skips' : 'drawn',
        values: { ...window, value: round.publicValue ?? '', at: time(round.drawnAt), winners: round.winners ?? 0, skipped: round.skipped ?? 0 },
      };
  }
}

/** How a published draw's winners were told: the counts once any notice was decided, or when the sending starts. */
export function winnersToldSays(told: NonNullable<AdminLottery['winnersTold']>): { says: 'told' | 'toldNotYet'; values: Record<string, number> } {
  return told.sent + told.waiting + told.failed + told.unknown === 0 ? { says: 'toldNotYet', values: {} } : { says: 'told', values: { ...told } };
}

/** An official without a name (an account the read did not find): the start of their id. */
function shortId(id: string | null): string {
  return id === null ? '—' : `${id.slice(0, 8)}…`;
}

/** A hash shortened for the eye, its ends kept (the whole is in the published file and copied whole). */
export function shortHash(hash: string): string {
  return hash.length > 20 ? `${hash.slice(0, 10)}…${hash.slice(-8)}` : hash;
}
