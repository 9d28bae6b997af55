export { ACCOUNT_KINDS } from '@vouchers/database';
export type { AccountKind } from '@vouchers/database';
export { RefreshTokenDto } from './refresh-token.dto';
export { endsEverySession, firstTokenExpiry, nextTokenExpiry, refusalOf, sessionPolicyOf, wasRevoked } from './rotation-rules';
export type { RefreshRefusal, SessionConfig, SessionPolicy, TokenExpiry } from './rotation-rules';
export { REFRESH_REFUSALS, refusalError, SessionErrorCode } from './session-errors';
export { refreshTokenHash, Sessions } from './sessions';
export type { AccountRef, ConsumedRefreshToken, IssuedRefreshToken, SpentRefreshToken } from './sessions';
export { SessionsModule } from './sessions.module';
