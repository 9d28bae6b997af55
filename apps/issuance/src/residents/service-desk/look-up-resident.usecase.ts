import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { recordAudit } from '@vouchers/database';
import { maskPhone } from '@vouchers/otp';
import { DataSource } from 'typeorm';
import { checkIdNumber, hashIdNumber, maskIdNumber } from '../id-number';
import { maskRealName } from '../real-name';
import { ResidentAtDeskView } from './dtos/resident-at-desk.view';
import { findByIdNumberHash, residentClosed, residentNotFound, voucherCountsOf } from './verified-residents';

export interface LookUpResidentCommand {
  idNumber: string;
  requestId: string | null;
}

/**
 * An official finds the verified account of the ID card a resident shows: the number is read
 * and hashed as real-name verification does (so it finds exactly the account that verification
 * refuses a second time with ID_NUMBER_TAKEN), and the answer holds masked facts only.
 *
 * Every look-up is audited, a miss too: an official looking residents up is reading personal
 * data, and a run of misses is someone trying numbers. A hit names the resident as its subject;
 * a miss has no resident, so its subject is the ID number, masked (the whole number is never
 * stored). Recorded before the answer, in the transaction of the read.
 *
 * An account its holder closed is no longer found as theirs (it holds no number, name or mask)
 * but the desk is told it was closed, and when (409 RESIDENT_CLOSED): the person has not lost it,
 * and their own real-name verification on any number reopens it.
 */
@Injectable()
export class LookUpResident {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async execute(official: AuthUser, command: LookUpResidentCommand): Promise<ResidentAtDeskView> {
    const check = checkIdNumber(command.idNumber);
    if (!check.valid) throw new AppError(check.code, check.message);
    const idNumberHash = hashIdNumber(this.config.idNumberHashKey, check.idNumber);
    const idNumberMasked = maskIdNumber(check.idNumber);

    const found = await this.db.transaction(async (manager) => {
      const find = await findByIdNumberHash(manager, idNumberHash);
      const subject = find.kind === 'verified' ? find.resident.publicId : find.kind === 'closed' ? find.publicId : null;
      await recordAudit(manager, {
        actorId: official.sub,
        actorRole: official.role,
        action: 'resident.lookup_by_official',
        targetType: subject ? 'resident' : 'id_number',
        targetId: subject ?? idNumberMasked,
        detail: { idNumber: idNumberMasked, found: find.kind === 'verified', ...(find.kind === 'closed' ? { closedAt: find.closedAt.toISOString() } : {}) },
        requestId: command.requestId,
      });
      return find.kind === 'verified' ? { ...find, vouchers: await voucherCountsOf(manager, find.resident.id) } : find;
    });
    if (found.kind === 'none') throw residentNotFound();
    if (found.kind === 'closed') throw residentClosed(found.closedAt);
    const { resident, vouchers } = found;
    return {
      id: resident.publicId,
      phone: maskPhone(resident.phone),
      idNumberMasked: resident.idNumberMasked,
      realName: maskRealName(resident.realName),
      verifiedAt: resident.verifiedAt.toISOString(),
      vouchers,
    };
  }
}
