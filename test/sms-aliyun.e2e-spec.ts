import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { noticeSenderFor, otpKeysFor, SmsOutcomeUnknown } from '@vouchers/otp';
import { connectRedis, Redis } from '@vouchers/redis';
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { bootApp, testConfig } from './support/apps';
import { AliyunSmsStandIn, ReceivedSend, STAND_IN_KEY_ID, STAND_IN_SECRET } from './support/aliyun-sms-stand-in';
import { LogCapture } from './support/log-capture';
import { keysMatching } from './support/redis-keys';
import { SIGN_IN_CONSENT } from './support/consents';

const ROOT = join(__dirname, '..');
const otpKeys = otpKeysFor('resident');
/** Numbers starting 15 are this file's. */
const randomPhone = () => `15${randomInt(0, 1_000_000_000).toString().padStart(9, '0')}`;
const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;
const codeOf = (send: ReceivedSend) => (JSON.parse(send.params.TemplateParam) as { code: string }).code;

const PRODUCTION_SECRETS = {
  NODE_ENV: 'production',
  JWT_SECRET: 'p'.repeat(40),
  ID_NUMBER_HASH_KEY: 'k'.repeat(40),
  BANK_ACCOUNT_KEY: 'b'.repeat(40),
  VOUCHER_CODE_KEY: 'v'.repeat(40),
};
const SIGN_NAME = '宁波消费券';
const TEMPLATE_CODE = 'SMS_468201234';
const PHONE_CHANGE_TEMPLATE_CODE = 'SMS_468201235';
const CLOSING_TEMPLATE_CODE = 'SMS_468201236';
const EXPIRY_TEMPLATE_CODE = 'SMS_468205678';
const LOTTERY_WON_TEMPLATE_CODE = 'SMS_468205679';

describe('sign-in codes through Alibaba Cloud SMS (a local stand-in of its API)', () => {
  let standIn: AliyunSmsStandIn;
  let redis: Redis;
  /** Unprefixed, to find the per-address counter by pattern. */
  let raw: Redis;
  const apps: NestFastifyApplication[] = [];
  // nestjs-pino keeps one root logger a process, made by the first app booted: every app this
  // file boots writes its lines outside the access log there, so they all share one capture.
  const log = new LogCapture();

  const aliyunEnv = (overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    ...PRODUCTION_SECRETS,
    SMS_PROVIDER: 'aliyun',
    SMS_ALIYUN_ACCESS_KEY_ID: STAND_IN_KEY_ID,
    SMS_ALIYUN_ACCESS_KEY_SECRET: STAND_IN_SECRET,
    SMS_ALIYUN_SIGN_NAME: SIGN_NAME,
    SMS_ALIYUN_TEMPLATE_CODE: TEMPLATE_CODE,
    SMS_ALIYUN_PHONE_CHANGE_TEMPLATE_CODE: PHONE_CHANGE_TEMPLATE_CODE,
    SMS_ALIYUN_CLOSING_TEMPLATE_CODE: CLOSING_TEMPLATE_CODE,
    SMS_ALIYUN_ENDPOINT: standIn.url,
    SMS_ALIYUN_TIMEOUT_MS: '400',
    // The sender's lines are read back.
    LOG_LEVEL: 'info',
    ...overrides,
  });

  async function boot(overrides: NodeJS.ProcessEnv = {}): Promise<NestFastifyApplication> {
    const app = await bootApp('issuance', aliyunEnv(overrides), { logTo: log });
    apps.push(app);
    return app;
  }

  /** The lines the sender wrote, as one string. */
  const smsLines = () => JSON.stringify(log.lines.filter((line) => line.context === 'Sms'));

  /** The Redis state of a number's code: is a code kept, is the cool-down on, how many sends the hour counts. */
  async function stateOf(phone: string) {
    return {
      code: await redis.exists(otpKeys.code(phone)),
      cooldown: await redis.exists(otpKeys.cooldown(phone)),
      sendsThisHour: await redis.get(otpKeys.sendsPerPhone(phone)),
    };
  }

  /** The sends this file's one address has asked for this hour. */
  async function addressSends(): Promise<number> {
    const keys = await keysMatching(raw, `${process.env.REDIS_KEY_PREFIX}rl:otp:ip:{*`);
    expect(keys).toHaveLength(1);
    return Number(await raw.get(keys[0]));
  }

  beforeAll(async () => {
    standIn = await AliyunSmsStandIn.start();
    redis = connectRedis(process.env.REDIS_URL as string, { keyPrefix: process.env.REDIS_KEY_PREFIX });
    raw = connectRedis(process.env.REDIS_URL as string);
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    redis.disconnect();
    raw.disconnect();
    await standIn.stop();
  });

  describe('an issuance app in production with SMS_PROVIDER=aliyun', () => {
    let app: NestFastifyApplication;
    const sendOtp = (phone: string) => request(app.getHttpServer()).post('/v1/auth/otp').send({ phone, ...SIGN_IN_CONSENT });
    const verifyOtp = (phone: string, code: string) => request(app.getHttpServer()).post('/v1/auth/otp/verify').send({ phone, code, ...SIGN_IN_CONSENT });

    beforeAll(async () => {
      app = await boot();
    });

    it('sends a correctly signed SendSms with the number, template and code, and that code signs the resident in', async () => {
      const phone = randomPhone();
      const before = standIn.received.length;
      const sent = await sendOtp(`+86 ${phone}`).expect(202);
      expect(sent.body).toEqual({ sentTo: masked(phone), expiresInSeconds: 300 });

      expect(standIn.received.slice(before)).toHaveLength(1);
      const [send] = standIn.received.slice(before);
      expect(send.verdict).toBe('OK');
      expect(send.params).toMatchObject({
        Action: 'SendSms',
        Version: '2017-05-25',
        Format: 'JSON',
        RegionId: 'cn-hangzhou',
        AccessKeyId: STAND_IN_KEY_ID,
        PhoneNumbers: phone,
        SignName: SIGN_NAME,
        TemplateCode: TEMPLATE_CODE,
        TemplateParam: expect.stringMatching(/^\{"code":"\d{6}"\}$/),
      });
      const code = codeOf(send);
      await verifyOtp(phone, code).expect(200);

      const said = smsLines();
      expect(said).toContain(`SendSms to ${masked(phone)}: OK (RequestId ${send.requestId}`);
      expect(said).not.toContain(code);
      expect(said).not.toContain(phone);
    });

    it('sends a number-change code and a closing code each in its own template, never in the sign-in code\'s words', async () => {
      const phone = randomPhone();
      let before = standIn.received.length;
      await sendOtp(phone).expect(202);
      const [signInSend] = standIn.received.slice(before);
      const session = await verifyOtp(phone, codeOf(signInSend)).expect(200);
      const signedIn = { authorization: `Bearer ${session.body.accessToken as string}` };

      const newPhone = randomPhone();
      before = standIn.received.length;
      await request(app.getHttpServer()).post('/v1/residents/me/phone/otp').set(signedIn).send({ phone: newPhone }).expect(202);
      await request(app.getHttpServer()).post('/v1/residents/me/closing/otp').set(signedIn).expect(202);
      const sends = standIn.received.slice(before).map((send) => ({ to: send.params.PhoneNumbers, template: send.params.TemplateCode, verdict: send.verdict }));
      expect([signInSend.params.TemplateCode, ...sends]).toEqual([
        TEMPLATE_CODE,
        { to: newPhone, template: PHONE_CHANGE_TEMPLATE_CODE, verdict: 'OK' },
        { to: phone, template: CLOSING_TEMPLATE_CODE, verdict: 'OK' },
      ]);
    });

    it('answers the provider\'s per-number throttling 429 OTP_PHONE_LIMIT with its window as Retry-After, and gives the send back', async () => {
      const phone = randomPhone();
      standIn.script('throttled-minute');
      const minute = await sendOtp(phone).expect(429);
      expect(minute.body).toEqual({
        code: 'OTP_PHONE_LIMIT',
        message: expect.any(String),
        details: { retryAfterSeconds: 60 },
        requestId: expect.any(String),
      });
      expect(minute.headers['retry-after']).toBe('60');
      // Nothing went out: no code to guess, no cool-down, and the hour's count given back.
      expect(await stateOf(phone)).toEqual({ code: 0, cooldown: 0, sendsThisHour: '0' });

      standIn.script('throttled-day');
      const day = await sendOtp(phone).expect(429);
      expect(day.headers['retry-after']).toBe('86400');
      expect(smsLines()).toContain('Code isv.BUSINESS_LIMIT_CONTROL');

      // Once the provider sends again, so does the app.
      await sendOtp(phone).expect(202);
      expect(await stateOf(phone)).toEqual({ code: 1, cooldown: 1, sendsThisHour: '1' });
    });

    it('answers a number the provider will not send to 400 INVALID_PHONE', async () => {
      const phone = randomPhone();
      standIn.script('illegal-number');
      const response = await sendOtp(phone).expect(400);
      expect(response.body.code).toBe('INVALID_PHONE');
      expect(await stateOf(phone)).toEqual({ code: 0, cooldown: 0, sendsThisHour: '0' });
    });

    it.each([
      ['out-of-balance', 'isv.AMOUNT_NOT_ENOUGH'],
      ['server-error', 'ServiceUnavailable'],
    ] as const)('answers %s 503 SMS_UNAVAILABLE, logging the Code and RequestId, and gives the send back', async (answer, providerCode) => {
      const phone = randomPhone();
      const before = standIn.received.length;
      standIn.script(answer);
      const addressBefore = await addressSends();
      const response = await sendOtp(phone).expect(503);
      expect(response.body.code).toBe('SMS_UNAVAILABLE');
      expect(response.headers['retry-after']).toBeUndefined();
      expect(await stateOf(phone)).toEqual({ code: 0, cooldown: 0, sendsThisHour: '0' });
      // The address keeps its count: it still bounds one network's calls on the gateway.
      expect(await addressSends()).toBe(addressBefore + 1);
      const [send] = standIn.received.slice(before);
      expect(smsLines()).toContain(`Code ${providerCode}, RequestId ${send.requestId}`);
      expect(smsLines()).not.toContain(codeOf(send));
    });

    it.each(['hang', 'not-json'] as const)(
      'answers a send whose fate is unknown (%s) 503 with Retry-After, keeping its code: if the message arrives, it signs in',
      async (answer) => {
        const phone = randomPhone();
        const before = standIn.received.length;
        standIn.script(answer);
        const response = await sendOtp(phone).expect(503);
        expect(response.body.code).toBe('SMS_UNAVAILABLE');
        expect(response.headers['retry-after']).toBe('60');
        // It may have cost a message and reached the phone: it counts, and the cool-down holds.
        expect(await stateOf(phone)).toEqual({ code: 1, cooldown: 1, sendsThisHour: '1' });
        const [send] = standIn.received.slice(before);
        await verifyOtp(phone, codeOf(send)).expect(200);
      },
    );
  });

  describe('the expiry reminder (the settlement worker\'s sender, a second template)', () => {
    const sender = () => noticeSenderFor(testConfig(aliyunEnv({ SMS_ALIYUN_EXPIRY_TEMPLATE_CODE: EXPIRY_TEMPLATE_CODE })));

    it('sends a correctly signed SendSms with the reminder\'s template, the count and the date as 12月9日', async () => {
      const phone = randomPhone();
      const before = standIn.received.length;
      await sender().sendExpiryReminder(phone, 2, '2023-12-09');
      const [send, ...more] = standIn.received.slice(before);
      expect(more).toEqual([]);
      expect(send.verdict).toBe('OK');
      expect(send.params).toMatchObject({
        Action: 'SendSms',
        PhoneNumbers: phone,
        SignName: SIGN_NAME,
        TemplateCode: EXPIRY_TEMPLATE_CODE,
        TemplateParam: '{"count":"2","date":"12月9日"}',
      });
    });

    it('sends the news of a lottery won with its own template, the count and the date', async () => {
      const phone = randomPhone();
      const before = standIn.received.length;
      await noticeSenderFor(testConfig(aliyunEnv({ SMS_ALIYUN_LOTTERY_WON_TEMPLATE_CODE: LOTTERY_WON_TEMPLATE_CODE }))).sendLotteryWon(phone, 1, '2023-12-09');
      const [send, ...more] = standIn.received.slice(before);
      expect(more).toEqual([]);
      expect(send.verdict).toBe('OK');
      expect(send.params).toMatchObject({ PhoneNumbers: phone, SignName: SIGN_NAME, TemplateCode: LOTTERY_WON_TEMPLATE_CODE, TemplateParam: '{"count":"1","date":"12月9日"}' });
    });

    it('throws SmsOutcomeUnknown when the provider does not answer in time, and the refusal of a number as INVALID_PHONE', async () => {
      standIn.script('hang');
      await expect(sender().sendExpiryReminder(randomPhone(), 1, '2024-01-01')).rejects.toBeInstanceOf(SmsOutcomeUnknown);
      standIn.script('illegal-number');
      await expect(sender().sendExpiryReminder(randomPhone(), 1, '2024-01-01')).rejects.toMatchObject({ code: 'INVALID_PHONE' });
    });
  });

  it.each([
    ['a secret the provider does not know', { SMS_ALIYUN_ACCESS_KEY_SECRET: 'not-the-secret-the-provider-knows' }, 'SignatureDoesNotMatch'],
    ['an AccessKey id the provider does not know', { SMS_ALIYUN_ACCESS_KEY_ID: 'LTAIunknown0000' }, 'InvalidAccessKeyId.NotFound'],
  ])('answers 503 SMS_UNAVAILABLE with %s, logging the Code but never the secret or the code', async (_case, overrides, providerCode) => {
    const app = await boot(overrides);
    const phone = randomPhone();
    const before = standIn.received.length;
    const response = await request(app.getHttpServer()).post('/v1/auth/otp').send({ phone, ...SIGN_IN_CONSENT }).expect(503);
    expect(response.body.code).toBe('SMS_UNAVAILABLE');
    const [send] = standIn.received.slice(before);
    expect(send.verdict).toBe(providerCode);
    expect(await stateOf(phone)).toEqual({ code: 0, cooldown: 0, sendsThisHour: '0' });
    const said = smsLines();
    expect(said).toContain(`Code ${providerCode}, RequestId ${send.requestId}`);
    // The provider's SignatureDoesNotMatch message quotes the string it signed, code included.
    expect(said).not.toContain(codeOf(send));
    expect(said).not.toContain(aliyunEnv(overrides).SMS_ALIYUN_ACCESS_KEY_SECRET);
  });

  it('answers 503 SMS_UNAVAILABLE when the provider cannot be reached, and gives the send back', async () => {
    const closed = await AliyunSmsStandIn.start();
    await closed.stop();
    const app = await boot({ SMS_ALIYUN_ENDPOINT: closed.url });
    const phone = randomPhone();
    await request(app.getHttpServer()).post('/v1/auth/otp').send({ phone, ...SIGN_IN_CONSENT }).expect(503);
    expect(await stateOf(phone)).toEqual({ code: 0, cooldown: 0, sendsThisHour: '0' });
    expect(smsLines()).toContain('could not be reached (ECONNREFUSED)');
  });
});

describe('an app that sends codes, started in production without a real SMS gateway', () => {
  const run = (entry: string, env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, [join(ROOT, entry)], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 20_000 });

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist/apps/issuance/src/main.js'))) throw new Error('dist/ is missing: run the tests with `npm test`, which builds first');
  });

  it.each(['dist/apps/issuance/src/main.js', 'dist/apps/merchant/src/main.js'])(
    '%s exits 1 with one line naming SMS_PROVIDER, before forking workers',
    (entry) => {
      const result = run(entry, { ...PRODUCTION_SECRETS, SMS_PROVIDER: '', HTTP_WORKERS: '2' });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('SMS_PROVIDER (smsProvider): production needs a real SMS gateway');
      expect(result.stderr).not.toContain('worker');
    },
  );

  it('exits 1 naming each missing Alibaba Cloud setting, and never prints the secret it was given', () => {
    const result = run('dist/apps/issuance/src/main.js', {
      ...PRODUCTION_SECRETS,
      SMS_PROVIDER: 'aliyun',
      SMS_ALIYUN_ACCESS_KEY_ID: '',
      SMS_ALIYUN_ACCESS_KEY_SECRET: 'a-secret-to-keep-out-of-logs',
      SMS_ALIYUN_SIGN_NAME: '',
      SMS_ALIYUN_TEMPLATE_CODE: 'SMS-not-a-code',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('SMS_ALIYUN_ACCESS_KEY_ID (smsAliyunAccessKeyId): required when SMS_PROVIDER is aliyun');
    expect(result.stderr).toContain('SMS_ALIYUN_SIGN_NAME (smsAliyunSignName): required when SMS_PROVIDER is aliyun');
    expect(result.stderr).toContain('SMS_ALIYUN_TEMPLATE_CODE (smsAliyunTemplateCode)');
    expect(result.stderr).not.toContain('SMS_ALIYUN_ACCESS_KEY_SECRET');
    expect(result.stderr).not.toContain('a-secret-to-keep-out-of-logs');
  });

  it('is refused however it is built: booting the module fails on the same line', async () => {
    await expect(bootApp('issuance', { ...PRODUCTION_SECRETS, SMS_PROVIDER: 'log' })).rejects.toThrow(
      /SMS_PROVIDER \(smsProvider\): production needs a real SMS gateway/,
    );
  });
});
