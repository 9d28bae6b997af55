export { requireMerchantCaller } from './merchant-caller';
export type { CallerOptions, MerchantCaller, MerchantRole } from './merchant-caller';
export { MerchantCallers } from './merchant-callers';
export { MerchantCallerErrorCode } from './merchant-caller-errors';
