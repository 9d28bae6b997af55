// A real checkout code for the browser tests, as a resident's phone gets it through the API
// (issuance): a fresh resident signs in by SMS code (devCode), verifies a real name, grabs a
// voucher of the demo campaign's open round and asks for the code (valid about 60 seconds).
// Each resident comes from an address of its own (X-Forwarded-For, believed from the gateway),
// so the tests never use up the one-time-code limits of the address the pages are opened from.
import { expect, type APIRequestContext } from '@playwright/test';
import { randomInt } from 'node:crypto';
import { newIdNumber } from './h5-resident';
import { PRIVACY_NOTICE_VERSION } from '../../../apps/web/src/h5/privacy-notice';

/** The demo campaign's name (scripts/demo/demo-campaign.ts). */
export const DEMO_CAMPAIGN = '宁波消费券 · 餐饮零售 (demo)';

export interface ResidentVoucher {
  token: string;
  voucherId: string;
  faceValueFen: number;
  thresholdFen: number;
}

/** Signs a new resident in and verifies their real name: a token that may grab. */
export async function newResident(request: APIRequestContext): Promise<{ token: string; headers: Record<string, string> }> {
  const phone = `139${String(randomInt(100_000_000)).padStart(8, '0')}`;
  const headers = { 'x-forwarded-for': `198.51.100.${randomInt(1, 255)}` };
  const sent = await request.post('/api/issuance/v1/auth/otp', { data: { phone, privacyNotice: PRIVACY_NOTICE_VERSION }, headers });
  expect(sent.status(), await sent.text()).toBe(202);
  const { devCode } = (await sent.json()) as { devCode: string };
  const signedIn = await request.post('/api/issuance/v1/auth/otp/verify', { data: { phone, code: devCode, privacyNotice: PRIVACY_NOTICE_VERSION }, headers });
  expect(signedIn.status(), await signedIn.text()).toBe(200);
  const { accessToken } = (await signedIn.json()) as { accessToken: string };
  const verified = await request.post('/api/issuance/v1/residents/me/real-name', {
    // One of 2.7 million: the 1,000 of one birth date it drew from before met a resident of the same run now and then (ID_NUMBER_TAKEN).
    data: { name: '测试居民', idNumber: newIdNumber().valid, sensitiveConsent: true },
    headers: { ...headers, authorization: `Bearer ${accessToken}` },
  });
  expect(verified.status(), await verified.text()).toBe(200);
  const { accessToken: token } = (await verified.json()) as { accessToken: string };
  return { token, headers };
}

interface CampaignList {
  items: Array<{ name: string; voucherTypes: Array<{ faceValueFen: number; thresholdFen: number; rounds: Array<{ id: string; opensAt: string; closesAt: string | null; kind: string; remaining: number }> }> }>;
}

/** A new resident's voucher of the demo's open grab round of that face value (1000: 满40减10, 3000: 满100减30). */
export async function residentVoucher(request: APIRequestContext, faceValueFen: 1000 | 3000 = 1000): Promise<ResidentVoucher> {
  const campaigns = (await (await request.get('/api/issuance/v1/campaigns?limit=50')).json()) as CampaignList;
  const campaign = campaigns.items.find((item) => item.name === DEMO_CAMPAIGN);
  const type = campaign?.voucherTypes.find((voucherType) => voucherType.faceValueFen === faceValueFen);
  const now = Date.now();
  const round = type?.rounds.find(
    (r) => r.kind === 'grab' && Date.parse(r.opensAt) <= now && (r.closesAt === null || Date.parse(r.closesAt) > now) && r.remaining > 0,
  );
  if (!type || !round) throw new Error(`the demo has no open round of face value ${faceValueFen}`);
  const { token, headers } = await newResident(request);
  const auth = { ...headers, authorization: `Bearer ${token}`, 'idempotency-key': `till-test-${randomInt(1e9)}` };
  let grab = await request.post(`/api/issuance/v1/rounds/${round.id}/claims`, { headers: auth });
  // The first grab of a campaign may find its stock being counted (503 ADMISSION_REBUILDING): again, as an app would.
  for (const deadline = Date.now() + 15_000; grab.status() === 503 && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    grab = await request.post(`/api/issuance/v1/rounds/${round.id}/claims`, { headers: auth });
  }
  expect(grab.status(), await grab.text()).toBe(201);
  const voucher = (await grab.json()) as { id: string };
  return { token, voucherId: voucher.id, faceValueFen: type.faceValueFen, thresholdFen: type.thresholdFen };
}

/** A fresh checkout code of the voucher (what the resident's phone shows as a QR code). */
export async function checkoutCode(request: APIRequestContext, voucher: ResidentVoucher): Promise<string> {
  const answer = await request.post(`/api/issuance/v1/me/vouchers/${voucher.voucherId}/code`, { headers: { authorization: `Bearer ${voucher.token}` } });
  expect(answer.status(), await answer.text()).toBe(201);
  return ((await answer.json()) as { code: string }).code;
}
