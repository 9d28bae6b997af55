import { Logger } from '@nestjs/common';
import { AppError } from '@vouchers/common';
import { AppConfig, loadConfig } from '@vouchers/config';
import { join } from 'node:path';
import { LogSmsSender } from './sms-sender';

const CONFIG_DIR = join(__dirname, '../../../config');
const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  JWT_SECRET: 'p'.repeat(40),
  ID_NUMBER_HASH_KEY: 'k'.repeat(40),
  BANK_ACCOUNT_KEY: 'b'.repeat(40),
  VOUCHER_CODE_KEY: 'v'.repeat(40),
};

describe('LogSmsSender, the built-in sender that only logs', () => {
  let logged: jest.SpyInstance;
  let errors: jest.SpyInstance;
  /** Everything the sender wrote to the log, in one string. */
  const logText = () => JSON.stringify([...logged.mock.calls, ...errors.mock.calls]);

  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('refuses in production with 503 SMS_UNAVAILABLE, and keeps the code out of the log', async () => {
    const config: AppConfig = loadConfig({ env: PRODUCTION_ENV, configDir: CONFIG_DIR });
    expect(config.nodeEnv).toBe('production');
    expect(config.devOtpEcho).toBe(false);
    const sender = new LogSmsSender(config);

    const refusal = await sender.sendOtp('13812345678', '424242', 300, 'sign-in').then(
      () => null,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ code: 'SMS_UNAVAILABLE', status: 503 });
    expect(errors).toHaveBeenCalledTimes(1);
    expect(logged).not.toHaveBeenCalled();
    expect(logText()).toContain('138****5678');
    expect(logText()).not.toContain('424242');
    expect(logText()).not.toContain('13812345678');
  });

  it.each(['development', 'test'])('logs the code (and only the masked number) when NODE_ENV=%s', async (nodeEnv) => {
    const sender = new LogSmsSender(loadConfig({ env: { NODE_ENV: nodeEnv }, configDir: CONFIG_DIR }));
    await expect(sender.sendOtp('13812345678', '424242', 300, 'sign-in')).resolves.toBeUndefined();
    expect(errors).not.toHaveBeenCalled();
    expect(logged).toHaveBeenCalledTimes(1);
    expect(logText()).toContain('sign-in code for 138****5678: 424242 (valid 300 s)');
    expect(logText()).not.toContain('13812345678');
  });

  it('says what the code is for, as the message would', async () => {
    const sender = new LogSmsSender(loadConfig({ env: { NODE_ENV: 'test' }, configDir: CONFIG_DIR }));
    await sender.sendOtp('13812345678', '111111', 300, 'phone-change');
    await sender.sendOtp('13812345678', '222222', 300, 'closing');
    expect(logText()).toContain('phone-change code for 138****5678: 111111');
    expect(logText()).toContain('closing code for 138****5678: 222222');
  });

  it('logs an expiry reminder with the masked number, the count and the date', async () => {
    const sender = new LogSmsSender(loadConfig({ env: { NODE_ENV: 'test' }, configDir: CONFIG_DIR }));
    await expect(sender.sendExpiryReminder('13812345678', 2, '2023-12-09')).resolves.toBeUndefined();
    expect(logText()).toContain('expiry reminder for 138****5678: 2 vouchers, the first expiring 2023-12-09');
    expect(logText()).not.toContain('13812345678');
  });

  it('logs a lottery win with the masked number, the count and the date', async () => {
    const sender = new LogSmsSender(loadConfig({ env: { NODE_ENV: 'test' }, configDir: CONFIG_DIR }));
    await expect(sender.sendLotteryWon('13812345678', 1, '2023-12-09')).resolves.toBeUndefined();
    expect(logText()).toContain('lottery win for 138****5678: 1 vouchers won, the first expiring 2023-12-09');
    expect(logText()).not.toContain('13812345678');
  });
});
