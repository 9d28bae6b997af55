import { AppError } from '@vouchers/common';
import { OtpErrorCode, SmsOutcomeUnknown } from '@vouchers/otp';
import { sendFailureOf } from './send-failure';

describe('sendFailureOf, what a failed reminder send means', () => {
  it('records a send whose fate is unknown as unknown (never sent again)', () => {
    expect(sendFailureOf(new SmsOutcomeUnknown())).toBe('unknown');
  });

  it.each([OtpErrorCode.InvalidPhone, OtpErrorCode.OtpPhoneLimit])('records a refusal of this number (%s) as failed', (code) => {
    expect(sendFailureOf(new AppError(code, 'refused'))).toBe('failed');
  });

  it('gives the notice back when the gateway itself is unavailable (nothing was sent)', () => {
    expect(sendFailureOf(new AppError(OtpErrorCode.SmsUnavailable, 'down'))).toBe('give_back');
  });

  it('stops, the notice left taken, on anything else', () => {
    expect(sendFailureOf(new Error('socket hang up'))).toBe('stop');
    expect(sendFailureOf('a string')).toBe('stop');
  });
});
