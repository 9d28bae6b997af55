import { refusalOf, throttleWindowSeconds } from './aliyun-sms-answers';

describe("what the caller is told of Alibaba Cloud SMS's refusals", () => {
  it.each([
    ['触发分钟级流控Permits:1', 60],
    ['触发小时级流控Permits:5', 3600],
    ['触发天级流控Permits:10', 86_400],
    ['触发业务流控', 60],
    [undefined, 60],
  ])('waits out the window of %s: %i s', (message, seconds) => {
    expect(throttleWindowSeconds(message)).toBe(seconds);
    expect(refusalOf({ Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: message })).toMatchObject({
      code: 'OTP_PHONE_LIMIT',
      status: 429,
      details: { retryAfterSeconds: seconds },
    });
  });

  it('answers a number the provider will not take 400, and anything else 503', () => {
    expect(refusalOf({ Code: 'isv.MOBILE_NUMBER_ILLEGAL' })).toMatchObject({ code: 'INVALID_PHONE', status: 400 });
    for (const code of ['isv.AMOUNT_NOT_ENOUGH', 'SignatureDoesNotMatch', 'InvalidAccessKeyId.NotFound', 'isv.SMS_TEMPLATE_ILLEGAL', 'isp.SYSTEM_ERROR', undefined]) {
      expect(refusalOf({ Code: code })).toMatchObject({ code: 'SMS_UNAVAILABLE', status: 503 });
    }
  });
});
