import { GrabRateLimit } from '../apps/issuance/src/claims/grab-rate-limit';
import { createActiveCampaign } from './support/campaigns';
import { GrabRig } from './support/grab-rig';
import { createVerifiedResidents } from './support/residents';

/** DESIGN §10: grabs are rate limited per person. */
describe('the grab rate limit', () => {
  const rig = new GrabRig({ GRAB_LIMIT_PER_PERSON: '5' });

  beforeAll(async () => {
    await rig.start();
  });

  afterAll(async () => {
    await rig.stop();
  });

  it('answers a person past the limit 429 with Retry-After before the script, and nobody else', async () => {
    const campaign = await createActiveCampaign(rig.app, { quantity: [5] });
    const [round] = campaign.rounds;
    const [presser, neighbour] = await createVerifiedResidents(rig.db, 2);
    rig.app.get(GrabRateLimit).startWindow(); // a whole window for the burst
    const answers = await Promise.all(Array.from({ length: 12 }, () => rig.grab(presser, round)));
    const limited = answers.filter((a) => a.status === 429);
    expect(limited).toHaveLength(7);
    expect(limited.every((a) => a.body.code === 'RATE_LIMITED' && Number(a.retryAfter) >= 1 && Number(a.retryAfter) <= 10)).toBe(true);
    const served = answers.filter((a) => a.status !== 429);
    expect(served.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(served.map((a) => a.body.id)).size).toBe(1);
    expect((await rig.grab(neighbour, round)).status).toBe(201);
    expect(await rig.rowsOf(round)).toHaveLength(2);
    expect(await rig.stockOf(campaign.id, round)).toBe(3);
  });
});
