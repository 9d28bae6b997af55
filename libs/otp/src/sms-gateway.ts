import { AppConfig, ConfigError } from '@vouchers/config';
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
  switch (config.smsProvider) {
    case 'aliyun':
      return new AliyunSmsSender({
        accessKeyId: config.smsAliyunAccessKeyId ?? '',
        accessKeySecret: config.smsAliyunAccessKeySecret ?? '',
        signName: config.smsAliyunSignName,
        templateCode: config.smsAliyunTemplateCode,
        endpoint: config.smsAliyunEndpoint,
        timeoutMs: config.smsAliyunTimeoutMs,
      });
    case 'log':
      return new LogSmsSender(config);
  }
}
