import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { recordAudit, Resident } from '@vouchers/database';
import { OneTimeCodes } from '@vouchers/otp';
import { Sessions } from '@vouchers/sessions';
import { DataSource } from 'typeorm';
import { requireOwnAccount } from '../resident-lookup';
import { refuseUnusedVouchers } from './closing-rules';

export interface CloseAccountCommand {
  code: string;
  giveUpVouchers: boolean;
  address: string;
  requestId: string | null;
}

/**
 * Closes the signed-in resident's account once they prove their number with a closing code. In one
 * transaction, on the locked row: the unused vouchers are counted again (one won in a lottery
 * meanwhile is refused like the rest), the number, legal name and ID mask are erased and the
 * closing time set, every session ends, and the audit log records the closing with how many
 * unused vouchers were given up (no number, no name).
 *
 * What stays, and why: the row (vouchers, redemptions and the ledger name it), the vouchers as
 * they are (a claimed one expires and goes back to the pool in the ordinary way), lottery entries
 * (the published entrants list holds them), and the ID number's keyed hash, so the per-person
 * limits keep counting what this person took and their next real-name verification reopens this
 * account (ReopenClosedAccount) instead of starting a second one.
 */
@Injectable()
export class CloseAccount {
  constructor(
    @Inject(OneTimeCodes) private readonly codes: OneTimeCodes,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Sessions) private readonly sessions: Sessions,
  ) {}

  async execute(caller: AuthUser, command: CloseAccountCommand): Promise<void> {
    const own = await requireOwnAccount(this.db.manager, caller);
    // Before the code is tried, so a resident told about their vouchers keeps their code.
    await refuseUnusedVouchers(this.db.manager, own, command.giveUpVouchers);
    await this.codes.verify({ phone: own.phone, code: command.code, address: command.address });
    await this.db.transaction(async (manager) => {
      const resident = await requireOwnAccount(manager, caller, { forUpdate: true });
      const givenUp = await refuseUnusedVouchers(manager, resident, command.giveUpVouchers);
      await manager.update(Resident, { id: resident.id }, { phone: null, realName: null, idNumberMasked: null, closedAt: () => 'now()' });
      await this.sessions.endEverySession(manager, { kind: 'resident', id: resident.id });
      await recordAudit(manager, {
        actorId: resident.publicId,
        actorRole: 'resident',
        action: 'resident.close',
        targetType: 'resident',
        targetId: resident.publicId,
        detail: { unusedVouchersGivenUp: givenUp, verified: resident.verifiedAt !== null },
        requestId: command.requestId,
      });
    });
  }
}
