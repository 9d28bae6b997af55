export { readVoucherCode, signVoucherCode } from './code-format';
export type { CodeReading, VoucherCodeClaims } from './code-format';
export { CODE_POLICY, codeNonceKey, NONCE_TTL_MS, VoucherCodes } from './voucher-codes';
export type { NonceSpend } from './voucher-codes';
export { VoucherCodeModule } from './voucher-code.module';
