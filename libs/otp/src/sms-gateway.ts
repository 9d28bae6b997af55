import { AppConfig, ConfigError, envNameOf } from '@vouchers/config';
import { AliyunSmsSender } from './aliyun/aliyun-sms-sender';
import { LogSmsSender, SmsSender } from './sms-sender';

/**
 * Refuses a production configuration whose codes would go nowhere: with SMS_PROVIDER=log every
 * sign-in would answer 503. The apps that send codes run it before they start (main.ts) and
 * again where the sender is built, so no way of starting them skips it.
 */
export function requireRealSmsSender(config: AppConfig): void {
  if (config.nodeEnv === 'production' && config.smsProvider === 'log') {
    throw new ConfigError([
      'SMS_PROVIDER (smsProvider): production needs a real SMS gateway (aliyun, with its SMS_ALIYUN_* settings); log would send no sign-in code',
    ]);
  }
}

/** The sender SMS_PROVIDER names, built from its settings (loadConfig has checked they are all there). */
export function smsSenderFor(config: AppConfig): SmsSender {
  requireRealSmsSender(config);
  return noticeSenderFor(config);
}

/**
 * The sender of service notices (the settlement worker's expiry reminders): the same gateway,
 * but a worker with no real one still starts; expiryReminderProblem says why it sends nothing.
 */
export function noticeSenderFor(config: AppConfig): SmsSender {
  switch (config.smsProvider) {
    case 'aliyun':
      return new AliyunSmsSender({
        accessKeyId: config.smsAliyunAccessKeyId ?? '',
        accessKeySecret: config.smsAliyunAccessKeySecret ?? '',
        signName: config.smsAliyunSignName,
        codeTemplateCodes: {
          'sign-in': config.smsAliyunTemplateCode,
          'phone-change': config.smsAliyunPhoneChangeTemplateCode,
          closing: config.smsAliyunClosingTemplateCode,
        },
        expiryTemplateCode: config.smsAliyunExpiryTemplateCode,
        lotteryWonTemplateCode: config.smsAliyunLotteryWonTemplateCode,
        endpoint: config.smsAliyunEndpoint,
        timeoutMs: config.smsAliyunTimeoutMs,
      });
    case 'log':
      return new LogSmsSender(config);
  }
}

/**
 * Why no expiry reminder can be sent with this configuration, or null when one can: aliyun
 * without the reminder's template, or production with the log sender (a reminder written to the
 * log reaches nobody, and must not be recorded as sent).
 */
export function expiryReminderProblem(config: AppConfig): string | null {
  return noticeProblem(config, 'smsAliyunExpiryTemplateCode', 'no expiry reminder');
}

/** Why no lottery win can be told with this configuration, or null when it can; as expiryReminderProblem. */
export function lotteryWonNoticeProblem(config: AppConfig): string | null {
  return noticeProblem(config, 'smsAliyunLotteryWonTemplateCode', 'no lottery win notice');
}

function noticeProblem(config: AppConfig, template: 'smsAliyunExpiryTemplateCode' | 'smsAliyunLotteryWonTemplateCode', none: string): string | null {
  if (config.smsProvider === 'aliyun' && !config[template]) return `${envNameOf(template)} (${template}) is not set: ${none} is sent`;
  if (config.nodeEnv === 'production' && config.smsProvider === 'log') return `SMS_PROVIDER (smsProvider) is log in production: ${none} is sent`;
  return null;
}
