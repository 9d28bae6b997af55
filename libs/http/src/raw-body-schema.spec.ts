import { AppError } from '@vouchers/common';
import { bodyCheckOf, RawBodySchema } from './raw-body-schema';

interface Order {
  code: string;
  amountFen: number;
}

const check = bodyCheckOf<Order>({
  type: 'object',
  required: ['code', 'amountFen'],
  additionalProperties: false,
  properties: { code: { type: 'string', maxLength: 5 }, amountFen: { type: 'integer', minimum: 1 } },
} satisfies RawBodySchema<Order>);

function refusal(body: unknown): Pick<AppError, 'status' | 'code' | 'message' | 'details'> {
  try {
    check(body);
  } catch (error) {
    const { status, code, message, details } = error as AppError;
    return { status, code, message, details };
  }
  throw new Error('accepted');
}

describe('bodyCheckOf', () => {
  it('returns a body that holds to the schema as it is', () => {
    const body = { code: 'abc', amountFen: 5000 };
    expect(check(body)).toBe(body);
  });

  it('refuses with 400 VALIDATION_FAILED, every problem listed, an unknown field in the validation pipe’s words', () => {
    expect(refusal({ code: 'abcdef', amountFen: 1.5, extra: 1 })).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'property extra should not exist; code must NOT have more than 5 characters; amountFen must be integer',
      details: {
        problems: ['property extra should not exist', 'code must NOT have more than 5 characters', 'amountFen must be integer'],
      },
    });
  });

  it('coerces nothing and refuses what is not an object, or nothing at all', () => {
    expect(refusal({ code: 'abc', amountFen: '5000' }).details).toEqual({ problems: ['amountFen must be integer'] });
    for (const body of [undefined, null, [], 'text', 5]) expect([body, refusal(body).code]).toEqual([body, 'VALIDATION_FAILED']);
    expect(refusal({}).details).toEqual({
      problems: ["body must have required property 'code'", "body must have required property 'amountFen'"],
    });
  });
});
