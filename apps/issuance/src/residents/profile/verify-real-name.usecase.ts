import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { Resident } from '@vouchers/database';
import { DataSource, QueryFailedError } from 'typeorm';
import { ReopenClosedAccount } from '../closing/reopen-closed-account';
import { recordConsents } from '../consents/consents';
import { requireSensitiveConsent } from '../consents/privacy-notice';
import { RealNameVerifiedView, residentProfileOf } from '../dtos/resident-profile.view';
import { VerifyRealNameDto } from '../dtos/verify-real-name.dto';
import { checkIdNumber, hashIdNumber, maskIdNumber } from '../id-number';
import { normaliseRealName } from '../real-name';
import { ResidentErrorCode } from '../resident-errors';
import { liveAccount, requireOwnAccount, ResidentAccount } from '../resident-lookup';
import { SessionIssuer } from '../sessions/session-issuer';

const UNIQUE_VIOLATION = '23505';

export type VerifyRealNameCommand = VerifyRealNameDto & { requestId: string | null };

/**
 * Records the caller's legal name and ID number, once. The number itself is never stored
 * or logged: only its keyed hash (unique, so one person holds one account) and its mask.
 * The answer carries a fresh access token that says "verified", for the grab. An ID number
 * whose account was closed reopens that account (ReopenClosedAccount): the answer then carries
 * a whole new session on it, since the caller's own (empty) account is retired.
 */
@Injectable()
export class VerifyRealName {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(SessionIssuer) private readonly sessions: SessionIssuer,
    @Inject(ReopenClosedAccount) private readonly reopener: ReopenClosedAccount,
  ) {}

  async execute(caller: AuthUser, command: VerifyRealNameCommand): Promise<RealNameVerifiedView> {
    // Nothing of the name or number is read without the consent to it.
    requireSensitiveConsent(command.sensitiveConsent);
    const name = normaliseRealName(command.name);
    if (name === null) {
      throw new AppError(ResidentErrorCode.RealNameInvalid, 'A name is 2-64 characters and has no digits');
    }
    const check = checkIdNumber(command.idNumber);
    if (!check.valid) throw new AppError(check.code, check.message);
    const idNumberHash = hashIdNumber(this.config.idNumberHashKey, check.idNumber);

    const idNumberMasked = maskIdNumber(check.idNumber);

    const outcome = await this.db.transaction(async (manager) => {
      // Locked so two verifications of one account cannot both pass the "not yet verified" check.
      const current = await requireOwnAccount(manager, caller, { forUpdate: true });
      if (current.verifiedAt !== null) {
        if (current.idNumberHash === idNumberHash) {
          await recordConsents(manager, current.id, ['sensitive_real_name']);
          return { resident: current };
        }
        throw new AppError(ResidentErrorCode.AlreadyVerified, 'This account is already verified with another ID number');
      }
      const closedId = await this.reopener.findClosed(manager, idNumberHash);
      if (closedId !== null) {
        const reopened = await this.reopener.reopen(manager, current, closedId, { realName: name, idNumberHash, idNumberMasked, requestId: command.requestId });
        if (!reopened) throw idNumberTaken();
        // The notice was agreed to at this sign-in, on the account now retired: the reopened one holds the person's consents.
        await recordConsents(manager, reopened.resident.id, ['privacy_notice', 'sensitive_real_name']);
        return reopened;
      }
      await manager.update(Resident, { id: current.id }, { realName: name, idNumberHash, idNumberMasked, verifiedAt: () => 'now()' }).catch(refuseTakenNumber);
      await recordConsents(manager, current.id, ['sensitive_real_name']);
      // Read back for the time Postgres recorded (the row is still locked by this transaction, so still live).
      return { resident: liveAccount(await manager.findOneByOrFail(Resident, { id: current.id })) as ResidentAccount };
    });
    const resident = residentProfileOf(outcome.resident);
    if ('session' in outcome) return { ...outcome.session, resident, reopened: true };
    return { ...this.sessions.accessFor(outcome.resident), resident, reopened: false };
  }
}

/** The only unique column the update writes is the hash: a violation means another account has this person. */
function refuseTakenNumber(error: unknown): never {
  if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION) throw idNumberTaken();
  throw error;
}

function idNumberTaken(): AppError {
  return new AppError(ResidentErrorCode.IdNumberTaken, 'This ID number is already verified on another account');
}
