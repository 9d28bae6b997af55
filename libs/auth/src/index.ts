export * from './roles';
export { claimsFromPayload, payloadFromClaims } from './claims';
export { Auth, CurrentUser } from './decorators';
export { JwtAuthGuard, ROLES_KEY, RolesGuard } from './guards';
export { TokenService } from './token.service';
export { AuthModule } from './auth.module';
export { BearerAuthenticator } from './bearer';
export { OfficialAccessErrorCode, OFFICIAL_ACCESS_ERRORS } from './official-access-errors';
