import { loadConfig } from '@vouchers/config';
import { join } from 'node:path';
import { expiryReminderProblem, lotteryWonNoticeProblem, noticeSenderFor } from './sms-gateway';
import { LogSmsSender } from './sms-sender';

const CONFIG_DIR = join(__dirname, '../../../config');
const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  JWT_SECRET: 'p'.repeat(40),
  ID_NUMBER_HASH_KEY: 'k'.repeat(40),
  BANK_ACCOUNT_KEY: 'b'.repeat(40),
  VOUCHER_CODE_KEY: 'v'.repeat(40),
};
const ALIYUN_ENV = {
  SMS_PROVIDER: 'aliyun',
  SMS_ALIYUN_ACCESS_KEY_ID: 'LTAIexample0001',
  SMS_ALIYUN_ACCESS_KEY_SECRET: 'an-example-secret',
  SMS_ALIYUN_SIGN_NAME: '宁波消费券',
  SMS_ALIYUN_TEMPLATE_CODE: 'SMS_468201234',
  SMS_ALIYUN_PHONE_CHANGE_TEMPLATE_CODE: 'SMS_468201235',
  SMS_ALIYUN_CLOSING_TEMPLATE_CODE: 'SMS_468201236',
};
const configOf = (env: NodeJS.ProcessEnv) => loadConfig({ env, configDir: CONFIG_DIR });

describe('lotteryWonNoticeProblem, why the worker would tell no lottery winner', () => {
  it('names its own missing template with aliyun, the log sender in production, and nothing once the template is set', () => {
    const withExpiryOnly = { ...PRODUCTION_ENV, ...ALIYUN_ENV, SMS_ALIYUN_EXPIRY_TEMPLATE_CODE: 'SMS_468205678' };
    expect(lotteryWonNoticeProblem(configOf(withExpiryOnly))).toBe(
      'SMS_ALIYUN_LOTTERY_WON_TEMPLATE_CODE (smsAliyunLotteryWonTemplateCode) is not set: no lottery win notice is sent',
    );
    expect(lotteryWonNoticeProblem(configOf(PRODUCTION_ENV))).toBe('SMS_PROVIDER (smsProvider) is log in production: no lottery win notice is sent');
    expect(lotteryWonNoticeProblem(configOf({ ...withExpiryOnly, SMS_ALIYUN_LOTTERY_WON_TEMPLATE_CODE: 'SMS_468205679' }))).toBeNull();
  });
});

describe('expiryReminderProblem, why the worker would send no expiry reminder', () => {
  it('names the missing reminder template with aliyun', () => {
    expect(expiryReminderProblem(configOf({ ...PRODUCTION_ENV, ...ALIYUN_ENV }))).toMatch(/^SMS_ALIYUN_EXPIRY_TEMPLATE_CODE \(smsAliyunExpiryTemplateCode\) is not set/);
  });

  it('names the log sender in production, which reaches nobody', () => {
    expect(expiryReminderProblem(configOf(PRODUCTION_ENV))).toMatch(/^SMS_PROVIDER \(smsProvider\) is log in production/);
  });

  it('has none with aliyun and the template, nor with the log sender outside production', () => {
    expect(expiryReminderProblem(configOf({ ...PRODUCTION_ENV, ...ALIYUN_ENV, SMS_ALIYUN_EXPIRY_TEMPLATE_CODE: 'SMS_468205678' }))).toBeNull();
    expect(expiryReminderProblem(configOf({ NODE_ENV: 'test' }))).toBeNull();
  });

  it('the notice sender is built in production with log, where the sign-in apps refuse to start', () => {
    expect(noticeSenderFor(configOf(PRODUCTION_ENV))).toBeInstanceOf(LogSmsSender);
  });
});
