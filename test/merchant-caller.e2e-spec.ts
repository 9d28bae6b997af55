import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MERCHANT_ROLES, Role, ROLES_KEY } from '@vouchers/auth';
import request, { Response } from 'supertest';
import { bootApp } from './support/apps';
import { CheckoutRig, TestTill } from './support/checkout';
import { randomPhoneStarting } from './support/merchant-accounts';
import { bearer } from './support/tokens';

/**
 * Access tokens are checked without the database, so a staff member disabled a minute ago still
 * holds a valid one. Every merchant-side route of every app reads the staff row again and
 * refuses at once: the same 403 STAFF_INACTIVE everywhere, for a cashier and for an admin.
 * The list of routes is checked against the apps' own routes, so a new merchant-side route
 * must join it.
 */

type Who = 'cashier' | 'admin';
type AppKey = 'merchant' | 'redemption' | 'settlement';

interface Case {
  till: TestTill;
  /** Prepared by the route, for its requests. */
  state: Record<string, string>;
}

interface MerchantRoute {
  app: AppKey;
  /** As Nest routes it ("METHOD /path/:param"); raw routes are marked. */
  route: string;
  raw?: true;
  who: Who[];
  /** What the request answers while its sender is active. */
  ok: number;
  prepare?: (rig: CheckoutRig, till: TestTill) => Promise<Record<string, string>>;
  /** The request; it may run twice, before and after the sender is disabled. */
  send: (api: (app: AppKey) => request.Agent, token: string, kase: Case, attempt: number) => Promise<Response>;
}

const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const ORDER_FEN = 20_000;

/** A redemption made by the till's cashier, for the refund route. */
async function redeemed(rig: CheckoutRig, till: TestTill): Promise<Record<string, string>> {
  const { resident, voucherId } = await rig.voucherFor();
  const response = await rig.scan(till, await rig.code(resident, voucherId), ORDER_FEN).expect(201);
  return { redemptionId: response.body.redemptionId as string };
}

/** Two vouchers' codes, one for each scan of the redeem route. */
async function twoCodes(rig: CheckoutRig): Promise<Record<string, string>> {
  const [first, second] = await Promise.all([rig.voucherFor(), rig.voucherFor()]);
  return {
    code0: await rig.code(first.resident, first.voucherId),
    code1: await rig.code(second.resident, second.voucherId),
    orderNo0: rig.orderNo(),
    orderNo1: rig.orderNo(),
  };
}

const ROUTES: MerchantRoute[] = [
  { app: 'merchant', route: 'GET /v1/merchant/me', who: ['cashier', 'admin'], ok: 200, send: (api, token) => api('merchant').get('/v1/merchant/me').set(bearer(token)) },
  {
    app: 'merchant',
    route: 'PATCH /v1/merchant/me',
    who: ['admin'],
    ok: 200,
    send: (api, token, _kase, attempt) => api('merchant').patch('/v1/merchant/me').set(bearer(token)).send({ address: `宁波市测试路${attempt + 2}号` }),
  },
  { app: 'merchant', route: 'GET /v1/merchant/staff', who: ['admin'], ok: 200, send: (api, token) => api('merchant').get('/v1/merchant/staff').set(bearer(token)) },
  {
    app: 'merchant',
    route: 'POST /v1/merchant/staff',
    who: ['admin'],
    ok: 201,
    send: (api, token) => api('merchant').post('/v1/merchant/staff').set(bearer(token)).send({ phone: randomPhoneStarting('15'), name: '收银员 李' }),
  },
  {
    app: 'merchant',
    route: 'POST /v1/merchant/staff/:staffId/disable',
    who: ['admin'],
    ok: 200,
    send: (api, token, kase) => api('merchant').post(`/v1/merchant/staff/${kase.till.cashierId}/disable`).set(bearer(token)),
  },
  {
    app: 'merchant',
    route: 'POST /v1/merchant/staff/:staffId/enable',
    who: ['admin'],
    ok: 200,
    send: (api, token, kase) => api('merchant').post(`/v1/merchant/staff/${kase.till.cashierId}/enable`).set(bearer(token)),
  },
  { app: 'redemption', route: 'GET /v1/redemptions', who: ['cashier', 'admin'], ok: 200, send: (api, token) => api('redemption').get('/v1/redemptions').set(bearer(token)) },
  {
    app: 'redemption',
    route: 'GET /v1/redemptions/days/:date',
    who: ['cashier', 'admin'],
    ok: 200,
    send: (api, token) => api('redemption').get(`/v1/redemptions/days/${today}`).set(bearer(token)),
  },
  { app: 'redemption', route: 'GET /v1/refunds', who: ['cashier', 'admin'], ok: 200, send: (api, token) => api('redemption').get('/v1/refunds').set(bearer(token)) },
  {
    app: 'redemption',
    route: 'POST /v1/redemptions/:redemptionId/refunds',
    who: ['cashier', 'admin'],
    ok: 201,
    prepare: redeemed,
    send: (api, token, kase, attempt) =>
      api('redemption')
        .post(`/v1/redemptions/${kase.state.redemptionId}/refunds`)
        .set(bearer(token))
        .send({ refundAmountFen: 100, merchantRefundNo: `R-${kase.state.redemptionId}-${attempt}` }),
  },
  {
    // Raw: the till's hot path checks the cashier's row in its own statement (redemption-queries).
    app: 'redemption',
    route: 'POST /v1/redemptions',
    raw: true,
    who: ['cashier', 'admin'],
    ok: 201,
    prepare: (rig) => twoCodes(rig),
    send: (api, token, kase, attempt) =>
      api('redemption')
        .post('/v1/redemptions')
        .set(bearer(token))
        .send({ code: kase.state[`code${attempt}`], orderAmountFen: ORDER_FEN, merchantOrderNo: kase.state[`orderNo${attempt}`] }),
  },
  { app: 'settlement', route: 'GET /v1/merchant/statements', who: ['admin'], ok: 200, send: (api, token) => api('settlement').get('/v1/merchant/statements').set(bearer(token)) },
  {
    app: 'settlement',
    route: 'GET /v1/merchant/statements/days/:date',
    who: ['admin'],
    ok: 200,
    send: (api, token) => api('settlement').get(`/v1/merchant/statements/days/${today}`).set(bearer(token)),
  },
];

const METHODS: Partial<Record<RequestMethod, string>> = {
  [RequestMethod.GET]: 'GET',
  [RequestMethod.POST]: 'POST',
  [RequestMethod.PUT]: 'PUT',
  [RequestMethod.PATCH]: 'PATCH',
  [RequestMethod.DELETE]: 'DELETE',
};

/** Every Nest route of the app that a merchant role may call, as "METHOD /path". */
function merchantRoutesOf(app: NestFastifyApplication): string[] {
  const found: string[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const prefix = Reflect.getMetadata('path', controller) as string;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const path = Reflect.getMetadata('path', handler) as string | undefined;
        if (path === undefined) continue;
        const roles = (Reflect.getMetadata(ROLES_KEY, handler) ?? Reflect.getMetadata(ROLES_KEY, controller) ?? []) as Role[];
        if (!roles.some((role) => MERCHANT_ROLES.has(role))) continue;
        const full = `/${[prefix, path].map((part) => part.replace(/^\/|\/$/g, '')).filter(Boolean).join('/')}`;
        found.push(`${METHODS[Reflect.getMetadata('method', handler) as RequestMethod]} ${full}`);
      }
    }
  }
  return found.sort();
}

describe('a staff member disabled after signing in is refused at once on every merchant-side route', () => {
  const rig = new CheckoutRig();
  const apps = {} as Record<AppKey, NestFastifyApplication>;
  const api = (app: AppKey) => request.agent(apps[app].getHttpServer());

  beforeAll(async () => {
    await rig.start();
    [apps.merchant, apps.settlement] = await Promise.all([bootApp('merchant'), bootApp('settlement')]);
    apps.redemption = rig.redemption;
  });

  afterAll(async () => {
    await Promise.all([rig.stop(), apps.merchant?.close(), apps.settlement?.close()]);
  });

  it.each(['merchant', 'redemption', 'settlement'] as AppKey[])('lists every merchant-side route of the %s app', (name) => {
    const listed = ROUTES.filter((route) => route.app === name && !route.raw).map((route) => route.route);
    expect(merchantRoutesOf(apps[name])).toEqual(listed.sort());
  });

  const cases = ROUTES.flatMap((route) => route.who.map((who) => [route.route, who, route] as const));

  it.each(cases)('%s, %s: answers while active, then 403 STAFF_INACTIVE with the same token', async (_name, who, route) => {
    const till = await rig.till();
    const kase: Case = { till, state: route.prepare ? await route.prepare(rig, till) : {} };
    const token = who === 'admin' ? till.adminToken : till.cashierToken;

    const before = await route.send(api, token, kase, 0);
    expect([before.status, before.body.code]).toEqual([route.ok, undefined]);

    if (who === 'cashier') {
      await api('merchant').post(`/v1/merchant/staff/${till.cashierId}/disable`).set(bearer(till.adminToken)).expect(200);
    } else {
      // An admin cannot disable themself through the app, and the app adds cashiers only.
      await rig.db.query('UPDATE merchant_staff SET disabled_at = now() WHERE public_id = $1', [till.adminId]);
    }

    const after = await route.send(api, token, kase, 1);
    expect([after.status, after.body.code]).toEqual([403, 'STAFF_INACTIVE']);
  });
});
