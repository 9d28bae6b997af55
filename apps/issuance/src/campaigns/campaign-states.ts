/** A campaign's life: draft → scheduled → active ⇄ paused → ended (DESIGN §1). */
export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'active', 'paused', 'ended'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

const MOVES: Record<CampaignStatus, readonly CampaignStatus[]> = {
  draft: ['scheduled', 'ended'],
  scheduled: ['draft', 'active', 'ended'],
  active: ['paused', 'ended'],
  paused: ['active', 'ended'],
  ended: [],
};

export function canMove(from: CampaignStatus, to: CampaignStatus): boolean {
  return MOVES[from].includes(to);
}

/** States in which residents see the campaign and its admission state is kept in Redis. */
export const PUBLISHED_STATUSES: readonly CampaignStatus[] = ['scheduled', 'active', 'paused'];
