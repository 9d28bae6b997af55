// A lottery round whose sign-up is open now, for the H5's lottery page: a demo commerce official
// (COMMERCE_B) signs in with password and TOTP code and creates an active campaign of that one
// lottery round. It has no grab round, so the campaigns page's main grab button stays the demo's.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { APIRequestContext } from '@playwright/test';

const ROOT = join(__dirname, '..', '..', '..');
/** The round's public value source, which the H5's lottery page shows as 开奖依据. */
export const LOTTERY_SOURCE = '上海证券交易所公布的 2030-01-03 上证指数收盘点数';
const COMMERCE_B = { key: 'COMMERCE_B', phone: '13900000004', password: 'teapot glacier violin sunday' };

async function officialToken(request: APIRequestContext): Promise<string> {
  for (let tries = 0; ; tries++) {
    const totpCode = execFileSync(process.execPath, [join(ROOT, 'dist/scripts/demo/demo-totp.js'), COMMERCE_B.key], { encoding: 'utf8' }).trim();
    const answer = await request.post('/api/settlement/v1/official-auth/sign-in', { data: { phone: COMMERCE_B.phone, password: COMMERCE_B.password, totpCode } });
    if (answer.ok()) return ((await answer.json()) as { accessToken: string }).accessToken;
    // A TOTP code signs in once: when another test used this one, the next comes within 30 s.
    if (tries >= 1) throw new Error(`COMMERCE_B did not sign in: ${answer.status()} ${await answer.text()}`);
    await new Promise((resolve) => setTimeout(resolve, 31_000));
  }
}

export interface OpenLotteryRound {
  roundId: string;
  /** Pauses the round's campaign, as the commerce bureau may. */
  pauseCampaign(): Promise<void>;
  /** Resumes the paused campaign. */
  resumeCampaign(): Promise<void>;
}

/** Creates the campaign and answers its lottery round's id. */
export async function openLotteryRound(request: APIRequestContext): Promise<OpenLotteryRound> {
  const token = await officialToken(request);
  const headers = { authorization: `Bearer ${token}` };
  const now = Date.now();
  const created = await request.post('/api/issuance/v1/admin/campaigns', {
    headers,
    data: {
      name: `摇号测试 ${new Date(now).toISOString().slice(11, 19)}`,
      categories: ['dining'],
      districts: [],
      budgetFen: 100_000,
      cityShareBp: 5000,
      validityDays: 7,
      perPersonLimit: 1,
      returnsToPool: false,
      voucherTypes: [
        {
          name: '满40减10',
          faceValueFen: 1000,
          thresholdFen: 4000,
          rounds: [
            {
              kind: 'lottery',
              opensAt: new Date(now + 7_200_000).toISOString(),
              quantity: 5,
              signupOpensAt: new Date(now - 60_000).toISOString(),
              signupClosesAt: new Date(now + 3_600_000).toISOString(),
              publicValueSource: LOTTERY_SOURCE,
            },
          ],
        },
      ],
    },
  });
  if (created.status() !== 201) throw new Error(`the lottery campaign was not created: ${created.status()} ${await created.text()}`);
  const campaignId = ((await created.json()) as { id: string }).id;
  const move = async (to: string) => {
    const moved = await request.post(`/api/issuance/v1/admin/campaigns/${campaignId}/transitions`, { headers, data: { to, reason: '浏览器测试' } });
    if (!moved.ok()) throw new Error(`the lottery campaign did not become ${to}: ${moved.status()} ${await moved.text()}`);
  };
  await move('scheduled');
  await move('active');
  const campaigns = (await (await request.get('/api/issuance/v1/campaigns?limit=50')).json()) as {
    items: Array<{ id: string; voucherTypes: Array<{ rounds: Array<{ id: string; kind: string }> }> }>;
  };
  const round = campaigns.items.find((campaign) => campaign.id === campaignId)?.voucherTypes[0]?.rounds.find((one) => one.kind === 'lottery');
  if (!round) throw new Error('the lottery round is not listed');
  return { roundId: round.id, pauseCampaign: () => move('paused'), resumeCampaign: () => move('active') };
}
