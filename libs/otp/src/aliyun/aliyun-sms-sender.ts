import { Logger } from '@nestjs/common';
import { AppError } from '@vouchers/common';
import { randomUUID } from 'node:crypto';
import { OtpErrorCode } from '../otp-errors';
import { CodePurpose } from '../otp-policy';
import { maskPhone } from '../phone';
import { SmsOutcomeUnknown, SmsSender } from '../sms-sender';
import { signedQuery } from './aliyun-rpc-signature';
import { refusalOf, SendSmsAnswer } from './aliyun-sms-answers';
import { reminderDateText } from './reminder-date';

export interface AliyunSmsSettings {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  /** The template of each kind of code, each holding ${code} and saying what the code does. */
  codeTemplateCodes: Readonly<Record<CodePurpose, string>>;
  /** The expiry reminder's template (${count}, ${date}); empty: no reminder can be sent. */
  expiryTemplateCode: string;
  /** The lottery win's template (${count}, ${date}); empty: no such news can be sent. */
  lotteryWonTemplateCode: string;
  /** Origin of the API, https://dysmsapi.aliyuncs.com unless a stand-in. */
  endpoint: string;
  timeoutMs: number;
}

/** Mainland SMS is served from the cn-hangzhou region whatever the caller's. */
const REGION_ID = 'cn-hangzhou';

/**
 * Sends one-time codes through Alibaba Cloud SMS (dysmsapi 2017-05-25, action SendSms) over its
 * documented RPC API: a signed GET, JSON back. The templates of the codes (one a purpose) are
 * expected to hold ${code}; the expiry reminder's ${count} and ${date}. Each
 * outcome is logged with the masked number and the provider's RequestId and Code; never the
 * code, the secret or the provider's message (a SignatureDoesNotMatch message quotes the whole
 * string it signed, the code included).
 */
export class AliyunSmsSender implements SmsSender {
  private readonly logger = new Logger('Sms');

  constructor(private readonly settings: AliyunSmsSettings) {}

  sendOtp(phone: string, code: string, _ttlSeconds: number, purpose: CodePurpose): Promise<void> {
    return this.send(phone, this.settings.codeTemplateCodes[purpose], { code });
  }

  sendExpiryReminder(phone: string, count: number, expiryDate: string): Promise<void> {
    if (!this.settings.expiryTemplateCode) {
      // The reminder job checks this before it starts (expiryReminderProblem): a last guard.
      return Promise.reject(new AppError(OtpErrorCode.SmsUnavailable, 'No expiry reminder template is configured'));
    }
    return this.send(phone, this.settings.expiryTemplateCode, { count: String(count), date: reminderDateText(expiryDate) });
  }

  sendLotteryWon(phone: string, count: number, expiryDate: string): Promise<void> {
    if (!this.settings.lotteryWonTemplateCode) {
      // The notice job checks this before it starts (lotteryWonNoticeProblem): a last guard.
      return Promise.reject(new AppError(OtpErrorCode.SmsUnavailable, 'No lottery win template is configured'));
    }
    return this.send(phone, this.settings.lotteryWonTemplateCode, { count: String(count), date: reminderDateText(expiryDate) });
  }

  private async send(phone: string, templateCode: string, templateParam: Record<string, string>): Promise<void> {
    const params = this.paramsOf(phone, templateCode, templateParam);
    const url = `${this.settings.endpoint.replace(/\/$/, '')}/?${signedQuery(params, this.settings.accessKeySecret)}`;
    const to = maskPhone(phone);
    let status: number;
    let text: string;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(this.settings.timeoutMs) });
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (nameOf(error) === 'TimeoutError') {
        // The request went out: the provider may have sent the message all the same.
        this.logger.error(`SendSms to ${to}: no answer within ${this.settings.timeoutMs} ms`);
        throw new SmsOutcomeUnknown();
      }
      this.logger.error(`SendSms to ${to}: the provider could not be reached (${causeOf(error)})`);
      throw new AppError(OtpErrorCode.SmsUnavailable, 'Codes cannot be sent right now; try again later');
    }

    const answer = parseAnswer(text);
    if (answer?.Code === 'OK' && status === 200) {
      this.logger.log(`SendSms to ${to}: OK (RequestId ${answer.RequestId}, BizId ${answer.BizId})`);
      return;
    }
    this.logger.error(`SendSms to ${to}: HTTP ${status}, Code ${answer?.Code ?? '(none)'}, RequestId ${answer?.RequestId ?? '(none)'}`);
    // A 200 that is not the provider's JSON leaves it unknown whether the message went out.
    if (answer === null && status === 200) throw new SmsOutcomeUnknown();
    throw refusalOf(answer ?? {});
  }

  private paramsOf(phone: string, templateCode: string, templateParam: Record<string, string>): Record<string, string> {
    return {
      AccessKeyId: this.settings.accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      RegionId: REGION_ID,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID(),
      SignatureVersion: '1.0',
      Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
      PhoneNumbers: phone,
      SignName: this.settings.signName,
      TemplateCode: templateCode,
      TemplateParam: JSON.stringify(templateParam),
    };
  }
}

function parseAnswer(text: string): SendSmsAnswer | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as SendSmsAnswer) : null;
  } catch {
    return null;
  }
}

/** Read by shape, not instanceof: fetch's errors (a DOMException on timeout) may come from another realm. */
function nameOf(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** fetch's "fetch failed" says nothing; its cause's code (ECONNREFUSED, ENOTFOUND) does. */
function causeOf(error: unknown): string {
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === 'string' ? code : (nameOf(error) ?? 'unknown error');
}
