import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEVELOPMENT_JWT_SECRET } from './app-config';
import { ConfigError, envNameOf, loadConfig } from './load-config';

const CONFIG_DIR = join(__dirname, '../../../config');

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('reads the checked-in defaults', () => {
    const config = loadConfig({ env: { NODE_ENV: 'development' }, configDir: CONFIG_DIR });
    expect(config.issuancePort).toBe(3001);
    expect(config.annualBudgetFen).toBe(100_000_000_000);
    expect(config.districtCampaignCityShareBp).toBe(5000);
    expect(config.dbMigrateOnStart).toBe(true);
    expect(config.jwtSecret).toBe(DEVELOPMENT_JWT_SECRET);
  });

  it('lets environment variables override, typed', () => {
    const config = loadConfig({
      env: { ISSUANCE_PORT: '4001', DB_MIGRATE_ON_START: 'false', REDIS_KEY_PREFIX: 'x:' },
      configDir: CONFIG_DIR,
    });
    expect(config.issuancePort).toBe(4001);
    expect(config.dbMigrateOnStart).toBe(false);
    expect(config.redisKeyPrefix).toBe('x:');
  });

  it('names the key of a bad value', () => {
    const problems = problemsOf(() => loadConfig({ env: { ISSUANCE_PORT: 'abc' }, configDir: CONFIG_DIR }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^ISSUANCE_PORT \(issuancePort\): .*got "abc"$/);
    expect(problemsOf(() => loadConfig({ env: { SETTLEMENT_PORT: '70000' }, configDir: CONFIG_DIR }))[0]).toContain(
      'SETTLEMENT_PORT',
    );
  });

  it("keeps the city's share of district campaigns within 0-10000 basis points", () => {
    expect(loadConfig({ env: { DISTRICT_CAMPAIGN_CITY_SHARE_BP: '3000' }, configDir: CONFIG_DIR }).districtCampaignCityShareBp).toBe(3000);
    for (const bad of ['10001', '-1', '50%']) {
      const problems = problemsOf(() => loadConfig({ env: { DISTRICT_CAMPAIGN_CITY_SHARE_BP: bad }, configDir: CONFIG_DIR }));
      expect(problems).toEqual([expect.stringMatching(/^DISTRICT_CAMPAIGN_CITY_SHARE_BP \(districtCampaignCityShareBp\): /)]);
    }
  });

  it('reads the share of successful grabs access-logged as a fraction from 0 to 1, every one by default', () => {
    expect(loadConfig({ env: {}, configDir: CONFIG_DIR }).accessLogSampleGrabs).toBe(1);
    expect(loadConfig({ env: { ACCESS_LOG_SAMPLE_GRABS: '0.05' }, configDir: CONFIG_DIR }).accessLogSampleGrabs).toBe(0.05);
    expect(loadConfig({ env: { ACCESS_LOG_SAMPLE_GRABS: '0' }, configDir: CONFIG_DIR }).accessLogSampleGrabs).toBe(0);
    for (const bad of ['1.5', '-0.1', 'half', '5%']) {
      expect(problemsOf(() => loadConfig({ env: { ACCESS_LOG_SAMPLE_GRABS: bad }, configDir: CONFIG_DIR }))[0]).toMatch(
        /^ACCESS_LOG_SAMPLE_GRABS \(accessLogSampleGrabs\): /,
      );
    }
  });

  it('requires a real secret in production and never prints it', () => {
    const missing = problemsOf(() => loadConfig({ env: { NODE_ENV: 'production' }, configDir: CONFIG_DIR }));
    expect(missing.join('\n')).toContain('JWT_SECRET');
    const short = problemsOf(() => loadConfig({ env: { NODE_ENV: 'production', JWT_SECRET: 'hunter2' }, configDir: CONFIG_DIR }));
    expect(short.join('\n')).toContain('JWT_SECRET (jwtSecret)');
    expect(short.join('\n')).not.toContain('hunter2');
    expect(missing.join('\n')).toContain('ID_NUMBER_HASH_KEY');
    const ok = loadConfig({
      env: { NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(40), ID_NUMBER_HASH_KEY: 'k'.repeat(40), BANK_ACCOUNT_KEY: 'b'.repeat(40), VOUCHER_CODE_KEY: 'v'.repeat(40) },
      configDir: CONFIG_DIR,
    });
    expect(ok.jwtSecret).toBe('p'.repeat(40));
    expect(ok.devOtpEcho).toBe(false);
  });

  it('never echoes one-time codes in production', () => {
    const env = { NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(40), ID_NUMBER_HASH_KEY: 'k'.repeat(40), BANK_ACCOUNT_KEY: 'b'.repeat(40), VOUCHER_CODE_KEY: 'v'.repeat(40), DEV_OTP_ECHO: 'true' };
    expect(problemsOf(() => loadConfig({ env, configDir: CONFIG_DIR })).join('\n')).toContain('DEV_OTP_ECHO');
    expect(loadConfig({ env: { NODE_ENV: 'test' }, configDir: CONFIG_DIR }).devOtpEcho).toBe(true);
  });

  it("bounds a client's time, headers within the whole request", () => {
    const config = loadConfig({ env: {}, configDir: CONFIG_DIR });
    expect([config.httpHeadersTimeoutMs, config.httpRequestTimeoutMs, config.httpKeepAliveTimeoutMs]).toEqual([10_000, 60_000, 65_000]);
    const env = { HTTP_HEADERS_TIMEOUT_MS: '5000', HTTP_REQUEST_TIMEOUT_MS: '2000' };
    expect(problemsOf(() => loadConfig({ env, configDir: CONFIG_DIR })).join('\n')).toContain('HTTP_HEADERS_TIMEOUT_MS');
    expect(problemsOf(() => loadConfig({ env: { HTTP_REQUEST_TIMEOUT_MS: '0' }, configDir: CONFIG_DIR })).join('\n')).toContain(
      'HTTP_REQUEST_TIMEOUT_MS',
    );
  });

  it('refuses secrets and unknown keys in a config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-'));
    writeFileSync(join(dir, 'default.yaml'), 'jwtSecret: in-a-file-is-wrong-aaaaaaaaaaaaaaaaaaaa\nissuancePrt: 1\n');
    const problems = problemsOf(() => loadConfig({ env: {}, configDir: dir }));
    expect(problems.join('\n')).toContain('jwtSecret: a secret may not be set in a config file');
    expect(problems.join('\n')).toContain('issuancePrt: not a configuration key');
  });

  it('sends codes through the log unless told otherwise, and takes the Alibaba Cloud AccessKey only from the environment', () => {
    const config = loadConfig({ env: {}, configDir: CONFIG_DIR });
    expect([config.smsProvider, config.smsAliyunEndpoint, config.smsAliyunTimeoutMs]).toEqual(['log', 'https://dysmsapi.aliyuncs.com', 5000]);

    const dir = mkdtempSync(join(tmpdir(), 'config-'));
    writeFileSync(join(dir, 'default.yaml'), 'smsAliyunAccessKeyId: LTAIinafile\nsmsAliyunAccessKeySecret: in-a-file-is-wrong\n');
    const problems = problemsOf(() => loadConfig({ env: {}, configDir: dir })).join('\n');
    expect(problems).toContain('smsAliyunAccessKeyId: a secret may not be set in a config file; use SMS_ALIYUN_ACCESS_KEY_ID');
    expect(problems).toContain('smsAliyunAccessKeySecret: a secret may not be set in a config file; use SMS_ALIYUN_ACCESS_KEY_SECRET');
    expect(problems).not.toContain('in-a-file-is-wrong');
  });

  it('requires every Alibaba Cloud setting with SMS_PROVIDER=aliyun, naming the missing ones', () => {
    const aliyun = {
      SMS_PROVIDER: 'aliyun',
      SMS_ALIYUN_ACCESS_KEY_ID: 'LTAI5tExample',
      SMS_ALIYUN_ACCESS_KEY_SECRET: 'an-example-secret',
      SMS_ALIYUN_SIGN_NAME: '宁波消费券',
      SMS_ALIYUN_TEMPLATE_CODE: 'SMS_468201234',
      SMS_ALIYUN_PHONE_CHANGE_TEMPLATE_CODE: 'SMS_468201235',
      SMS_ALIYUN_CLOSING_TEMPLATE_CODE: 'SMS_468201236',
    };
    const config = loadConfig({ env: aliyun, configDir: CONFIG_DIR });
    expect([config.smsProvider, config.smsAliyunAccessKeySecret, config.smsAliyunSignName]).toEqual(['aliyun', 'an-example-secret', '宁波消费券']);

    const missing = problemsOf(() => loadConfig({ env: { ...aliyun, SMS_ALIYUN_ACCESS_KEY_SECRET: '', SMS_ALIYUN_TEMPLATE_CODE: '' }, configDir: CONFIG_DIR }));
    expect(missing).toEqual([
      'SMS_ALIYUN_ACCESS_KEY_SECRET (smsAliyunAccessKeySecret): required when SMS_PROVIDER is aliyun',
      'SMS_ALIYUN_TEMPLATE_CODE (smsAliyunTemplateCode): required when SMS_PROVIDER is aliyun',
    ]);
    // A closing code must never go out in the sign-in code's words: no template of its own, no start.
    const noOwnTemplates = problemsOf(() =>
      loadConfig({ env: { ...aliyun, SMS_ALIYUN_PHONE_CHANGE_TEMPLATE_CODE: '', SMS_ALIYUN_CLOSING_TEMPLATE_CODE: '' }, configDir: CONFIG_DIR }),
    );
    expect(noOwnTemplates).toEqual([
      'SMS_ALIYUN_PHONE_CHANGE_TEMPLATE_CODE (smsAliyunPhoneChangeTemplateCode): required when SMS_PROVIDER is aliyun',
      'SMS_ALIYUN_CLOSING_TEMPLATE_CODE (smsAliyunClosingTemplateCode): required when SMS_PROVIDER is aliyun',
    ]);
    expect(problemsOf(() => loadConfig({ env: { SMS_PROVIDER: 'twilio' }, configDir: CONFIG_DIR }))[0]).toMatch(/^SMS_PROVIDER \(smsProvider\): /);
    const badEndpoint = problemsOf(() => loadConfig({ env: { ...aliyun, SMS_ALIYUN_ENDPOINT: 'https://dysmsapi.aliyuncs.com/path?x=1' }, configDir: CONFIG_DIR }));
    expect(badEndpoint).toEqual([expect.stringMatching(/^SMS_ALIYUN_ENDPOINT \(smsAliyunEndpoint\): smsAliyunEndpoint must be an http\(s\) origin/)]);
  });

  it('sends codes to Alibaba Cloud over https in production, or in the clear only to this machine', () => {
    const env = {
      NODE_ENV: 'production',
      JWT_SECRET: 'p'.repeat(40),
      ID_NUMBER_HASH_KEY: 'k'.repeat(40),
      BANK_ACCOUNT_KEY: 'b'.repeat(40),
      VOUCHER_CODE_KEY: 'v'.repeat(40),
      SMS_PROVIDER: 'aliyun',
      SMS_ALIYUN_ACCESS_KEY_ID: 'LTAI5tExample',
      SMS_ALIYUN_ACCESS_KEY_SECRET: 'an-example-secret',
      SMS_ALIYUN_SIGN_NAME: '宁波消费券',
      SMS_ALIYUN_TEMPLATE_CODE: 'SMS_468201234',
      SMS_ALIYUN_PHONE_CHANGE_TEMPLATE_CODE: 'SMS_468201235',
      SMS_ALIYUN_CLOSING_TEMPLATE_CODE: 'SMS_468201236',
    };
    expect(loadConfig({ env, configDir: CONFIG_DIR }).smsAliyunEndpoint).toBe('https://dysmsapi.aliyuncs.com');
    expect(loadConfig({ env: { ...env, SMS_ALIYUN_ENDPOINT: 'http://127.0.0.1:8080' }, configDir: CONFIG_DIR }).smsProvider).toBe('aliyun');
    expect(problemsOf(() => loadConfig({ env: { ...env, SMS_ALIYUN_ENDPOINT: 'http://dysmsapi.aliyuncs.com' }, configDir: CONFIG_DIR }))).toEqual([
      'SMS_ALIYUN_ENDPOINT (smsAliyunEndpoint): must be https in production (each request carries a number and its code)',
    ]);
    expect(problemsOf(() => loadConfig({ env: { ...env, SMS_ALIYUN_ENDPOINT: 'dysmsapi' }, configDir: CONFIG_DIR }))).toEqual([
      expect.stringMatching(/^SMS_ALIYUN_ENDPOINT \(smsAliyunEndpoint\): smsAliyunEndpoint must be an http\(s\) origin/),
    ]);
    expect(loadConfig({ env: { SMS_ALIYUN_ENDPOINT: 'http://dysmsapi.aliyuncs.com' }, configDir: CONFIG_DIR }).smsAliyunEndpoint).toBe(
      'http://dysmsapi.aliyuncs.com',
    );
  });

  it('maps keys to variable names', () => {
    expect(envNameOf('dbMigrateOnStart')).toBe('DB_MIGRATE_ON_START');
    expect(envNameOf('annualBudgetFen')).toBe('ANNUAL_BUDGET_FEN');
  });
});
