import { Inject, Injectable } from '@nestjs/common';
import { recordAudit, Resident } from '@vouchers/database';
import { Sessions } from '@vouchers/sessions';
import { EntityManager } from 'typeorm';
import { SessionView } from '../dtos/session.view';
import { holdsSomething } from '../phone-change/phone-change-rules';
import { liveAccount, ResidentAccount } from '../resident-lookup';
import { SessionIssuer } from '../sessions/session-issuer';

/** What the real-name verification writes on the account it reopens. */
export interface ReopenedIdentity {
  realName: string;
  idNumberHash: string;
  idNumberMasked: string;
  requestId: string | null;
}

/** The reopened account and the session this device now holds on it. */
export interface Reopened {
  resident: ResidentAccount;
  session: SessionView;
}

/**
 * A person who closed their account and verifies their ID number again, signed in on some number
 * (a new, empty account made by that sign-in), gets their old account back rather than a second
 * one: the per-person limits are counted by account, so a second account would let them take a
 * round's vouchers again. In the caller's transaction, with the new account's row already locked:
 * the closed row is locked (a closed row is only ever locked after the caller's own, so two
 * reopenings from two numbers cannot deadlock), the new account gives its number up (retired, its
 * sessions ended, as in a number change), and the old account takes the number, the name and the
 * ID mask and is open again, with a session for this device. The audit log records the reopening.
 */
@Injectable()
export class ReopenClosedAccount {
  constructor(
    @Inject(Sessions) private readonly sessions: Sessions,
    @Inject(SessionIssuer) private readonly issuer: SessionIssuer,
  ) {}

  /** The closed account holding this ID number's hash, if any. */
  async findClosed(manager: EntityManager, idNumberHash: string): Promise<string | null> {
    const row = await manager.findOne(Resident, { select: { id: true, closedAt: true }, where: { idNumberHash } });
    return row && row.closedAt !== null ? row.id : null;
  }

  /** Null when the closed account is closed no longer (reopened meanwhile) or the caller's account holds something: the caller refuses as for a taken ID number. */
  async reopen(manager: EntityManager, caller: ResidentAccount, closedId: string, identity: ReopenedIdentity): Promise<Reopened | null> {
    const closed = await manager.findOne(Resident, { where: { id: closedId }, lock: { mode: 'pessimistic_write' } });
    if (!closed || closed.closedAt === null || closed.idNumberHash !== identity.idNumberHash) return null;
    if (await holdsSomething(manager, caller)) return null;

    await this.sessions.endEverySession(manager, { kind: 'resident', id: caller.id });
    await manager.update(Resident, { id: caller.id }, { phone: null });
    await manager.update(
      Resident,
      { id: closedId },
      { phone: caller.phone, realName: identity.realName, idNumberMasked: identity.idNumberMasked, verifiedAt: () => 'now()', closedAt: null },
    );
    const resident = liveAccount(await manager.findOneByOrFail(Resident, { id: closedId })) as ResidentAccount;
    await recordAudit(manager, {
      actorId: resident.publicId,
      actorRole: 'resident',
      action: 'resident.reopen',
      targetType: 'resident',
      targetId: resident.publicId,
      detail: { closedAt: closed.closedAt.toISOString(), retiredAccount: caller.publicId },
      requestId: identity.requestId,
    });
    return { resident, session: await this.issuer.start(manager, resident) };
  }
}
