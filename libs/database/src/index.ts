export * from './entities';
export { createDataSource, dataSourceOptions, pendingSchemaChanges, runMigrationsLocked } from './data-source';
export { DatabaseModule } from './database.module';
export { SnakeNamingStrategy } from './naming-strategy';
export { isDatabaseReachable } from './health';
export { recordAudit } from './audit';
export type { AuditRecord } from './audit';
export { ledgerAccounts, postToLedger } from './ledger';
export type { LedgerLeg, Posting } from './ledger';
