import { CAMPAIGN_STATUSES, canMove } from './campaign-states';

describe('campaign state moves', () => {
  const allowed = new Set([
    'draft>scheduled',
    'draft>ended',
    'scheduled>draft',
    'scheduled>active',
    'scheduled>ended',
    'active>paused',
    'active>ended',
    'paused>active',
    'paused>ended',
  ]);

  it.each(CAMPAIGN_STATUSES.flatMap((from) => CAMPAIGN_STATUSES.map((to) => [from, to] as const)))(
    '%s → %s is allowed only when listed',
    (from, to) => {
      expect(canMove(from, to)).toBe(allowed.has(`${from}>${to}`));
    },
  );
});
