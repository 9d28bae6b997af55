import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { AppError, CommonErrorCode } from '@vouchers/common';

/** What the till posts to redeem: the scanned code, the order amount and its own order number. */
export interface RedeemRequestBody {
  code: string;
  /** The order amount before the discount, in fen. */
  orderAmountFen: number;
  merchantOrderNo: string;
}

/** The most one order may be, in fen (1,000,000 yuan): guards against a mistyped amount. */
export const MAX_ORDER_FEN = 100_000_000;
const ORDER_NO = /^[A-Za-z0-9_.:-]{1,64}$/;
const FIELDS = new Set(['code', 'orderAmountFen', 'merchantOrderNo']);

/**
 * Checks the body as the platform's validation pipe would (unknown fields refused, every
 * problem listed, 400 VALIDATION_FAILED), by hand: the route is served outside Nest's pipes.
 */
export function readRedeemBody(body: unknown): RedeemRequestBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError(CommonErrorCode.ValidationFailed, 'The body must be a JSON object', { problems: ['body must be an object'] });
  }
  const { code, orderAmountFen, merchantOrderNo } = body as Record<string, unknown>;
  const problems = Object.keys(body)
    .filter((key) => !FIELDS.has(key))
    .map((key) => `property ${key} should not exist`);
  if (typeof code !== 'string' || code.length > 200) problems.push('code must be a string of at most 200 characters');
  if (typeof orderAmountFen !== 'number' || !Number.isInteger(orderAmountFen) || orderAmountFen < 1 || orderAmountFen > MAX_ORDER_FEN) {
    problems.push(`orderAmountFen must be a whole number of fen from 1 to ${MAX_ORDER_FEN}`);
  }
  if (typeof merchantOrderNo !== 'string' || !ORDER_NO.test(merchantOrderNo)) {
    problems.push('merchantOrderNo must be 1-64 of A-Z a-z 0-9 _ . : -');
  }
  if (problems.length > 0) throw new AppError(CommonErrorCode.ValidationFailed, problems.join('; '), { problems });
  return { code: code as string, orderAmountFen: orderAmountFen as number, merchantOrderNo: merchantOrderNo as string };
}

/** The body's OpenAPI schema, for /docs. */
export const REDEEM_BODY_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['code', 'orderAmountFen', 'merchantOrderNo'],
  additionalProperties: false,
  properties: {
    code: { type: 'string', maxLength: 200, description: "The resident's checkout code, as scanned" },
    orderAmountFen: { type: 'integer', minimum: 1, maximum: MAX_ORDER_FEN, description: 'The order amount before the discount, in fen' },
    merchantOrderNo: { type: 'string', pattern: ORDER_NO.source, description: "The merchant's own order number" },
  },
};
