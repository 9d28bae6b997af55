import type { RawBodySchema } from '@vouchers/http';

/** What the till posts to redeem: the scanned code, the order amount and its own order number. */
export interface RedeemRequestBody {
  code: string;
  /** The order amount before the discount, in fen. */
  orderAmountFen: number;
  merchantOrderNo: string;
}

/** The most one order may be, in fen (1,000,000 yuan): guards against a mistyped amount. */
export const MAX_ORDER_FEN = 100_000_000;

/**
 * The body, described once: RawRoutes checks every request against it (ajv; unknown fields
 * refused, every problem listed, 400 VALIDATION_FAILED) and /docs shows it.
 */
export const REDEEM_BODY_SCHEMA: RawBodySchema<RedeemRequestBody> = {
  type: 'object',
  required: ['code', 'orderAmountFen', 'merchantOrderNo'],
  additionalProperties: false,
  properties: {
    code: {
      type: 'string',
      maxLength: 200,
      description: "The resident's checkout code, as scanned",
      example: 'V1AQGWuPJ8Hno9nwArTG2OCh8BlrjyfB56PZ8AK0xtjgsuawzJAD-aDCt9ThpmPF4brW8SwzVvqg6XpOpzlQ',
    },
    orderAmountFen: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_ORDER_FEN,
      description: 'The order amount before the discount, in fen',
      example: 12800,
    },
    merchantOrderNo: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,64}$', description: "The merchant's own order number", example: 'POS-20261127-0042' },
  },
};
