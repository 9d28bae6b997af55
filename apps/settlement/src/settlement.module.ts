import { Module } from '@nestjs/common';
import { PlatformModule } from '@vouchers/http';
import { AuditModule } from './audit/audit.module';
import { BatchesModule } from './batches/batches.module';
import { ExpiryModule } from './expiry/expiry.module';
import { FiguresModule } from './figures/figures.module';
import { OfficialAuthModule } from './official-auth/official-auth.module';
import { OfficialsModule } from './officials/officials.module';
import { PayoutsModule } from './payouts/payouts.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { StatementsModule } from './statements/statements.module';

/**
 * The finance bureau's API (batches, approvals, payout files, reconciliation), merchants'
 * statements, the audit trail, the expiry job's runs, officials' accounts and sign-in, and the
 * program's figures.
 */
@Module({
  imports: [
    PlatformModule.forApp('settlement'),
    BatchesModule,
    StatementsModule,
    PayoutsModule,
    ReconciliationModule,
    AuditModule,
    ExpiryModule,
    OfficialAuthModule,
    OfficialsModule,
    FiguresModule,
  ],
})
export class SettlementModule {}
