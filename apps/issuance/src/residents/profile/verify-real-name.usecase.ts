import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { Resident } from '@vouchers/database';
import { DataSource, QueryFailedError } from 'typeorm';
import { RealNameVerifiedView, residentProfileOf } from '../dtos/resident-profile.view';
import { VerifyRealNameDto } from '../dtos/verify-real-name.dto';
import { checkIdNumber, hashIdNumber, maskIdNumber } from '../id-number';
import { normaliseRealName } from '../real-name';
import { ResidentErrorCode } from '../resident-errors';
import { findResidentByPublicId, liveAccount, ResidentAccount } from '../resident-lookup';
import { SessionIssuer } from '../sessions/session-issuer';

const UNIQUE_VIOLATION = '23505';

/**
 * Records the caller's legal name and ID number, once. The number itself is never stored
 * or logged: only its keyed hash (unique, so one person holds one account) and its mask.
 * The answer carries a fresh access token that says "verified", for the grab.
 */
@Injectable()
export class VerifyRealName {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(SessionIssuer) private readonly sessions: SessionIssuer,
  ) {}

  async execute(caller: AuthUser, command: VerifyRealNameDto): Promise<RealNameVerifiedView> {
    const name = normaliseRealName(command.name);
    if (name === null) {
      throw new AppError(ResidentErrorCode.RealNameInvalid, 'A name is 2-64 characters and has no digits');
    }
    const check = checkIdNumber(command.idNumber);
    if (!check.valid) throw new AppError(check.code, check.message);
    const idNumberHash = hashIdNumber(this.config.idNumberHashKey, check.idNumber);

    const resident = await this.db.transaction(async (manager) => {
      // Locked so two verifications of one account cannot both pass the "not yet verified" check.
      const current = await findResidentByPublicId(manager, caller.sub, { forUpdate: true });
      if (!current) throw new AppError(ResidentErrorCode.ResidentNotFound, 'No such resident; sign in again');
      if (current.verifiedAt !== null) {
        if (current.idNumberHash === idNumberHash) return current;
        throw new AppError(ResidentErrorCode.AlreadyVerified, 'This account is already verified with another ID number');
      }
      await manager
        .update(
          Resident,
          { id: current.id },
          { realName: name, idNumberHash, idNumberMasked: maskIdNumber(check.idNumber), verifiedAt: () => 'now()' },
        )
        .catch(refuseTakenNumber);
      // Read back for the time Postgres recorded (the row is still locked by this transaction, so still live).
      return liveAccount(await manager.findOneByOrFail(Resident, { id: current.id })) as ResidentAccount;
    });
    return { ...this.sessions.accessFor(resident), resident: residentProfileOf(resident) };
  }
}

/** The only unique column the update writes is the hash: a violation means another account has this person. */
function refuseTakenNumber(error: unknown): never {
  if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION) {
    throw new AppError(ResidentErrorCode.IdNumberTaken, 'This ID number is already verified on another account');
  }
  throw error;
}
