import { Module } from '@nestjs/common';
import { BankAccountChangesController } from './bank-account-changes.controller';
import { DecideBankAccountChange } from './decide-bank-account-change.usecase';
import { ListBankAccountChanges } from './list-bank-account-changes.usecase';
import { RequestBankAccountChange } from './request-bank-account-change.usecase';

/**
 * Bank account changes of approved merchants, held for an official's review: the merchant's
 * request (used by the profile update) and the officials' list and decisions.
 */
@Module({
  controllers: [BankAccountChangesController],
  providers: [RequestBankAccountChange, ListBankAccountChanges, DecideBankAccountChange],
  exports: [RequestBankAccountChange],
})
export class BankAccountChangesModule {}
