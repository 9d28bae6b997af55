import { Inject, Injectable } from '@nestjs/common';
import { newPublicId } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { AccountKind, RefreshToken } from '@vouchers/database';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { endsEverySession, firstTokenExpiry, nextTokenExpiry, RefreshRefusal, refusalOf, sessionPolicyOf, TokenExpiry } from './rotation-rules';
import { LOCK_ACCOUNT_SESSIONS } from './sessions.sql';

/** An account that holds sessions: its kind and its internal id in that kind's table. */
export interface AccountRef {
  kind: AccountKind;
  id: string;
}

export interface IssuedRefreshToken {
  refreshToken: string;
  expiresAt: Date;
  /** The session the token belongs to: the same for every token a refresh renews. */
  sessionId: string;
}

/** A token just consumed by a refresh, and what the next one continues. */
export interface SpentRefreshToken {
  account: AccountRef;
  sessionId: string;
  expiresAt: Date;
}

/** A refusal names the account when the token was known, so the caller can say why (a disabled account, say). */
export type ConsumedRefreshToken = { spent: SpentRefreshToken } | { refusal: RefreshRefusal; account?: AccountRef };

/** SHA-256 is enough here (unlike ID numbers): the token carries 256 random bits, so there is nothing to guess. */
export function refreshTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

type SpentRow = Pick<RefreshToken, 'accountKind' | 'accountId' | 'sessionId' | 'expiresAt'>;

/**
 * Sign-in sessions of every kind of account: opaque refresh tokens, single use, stored only as
 * a hash. A refresh consumes its token and the caller, once it has checked the account, issues
 * the next of the same session; a spent token comes back only from someone who copied it, so
 * its reuse while its session goes on ends every session of the account. Tokens of one kind are unknown to another kind's
 * routes: a cashier's token refreshes nothing at the residents' app.
 */
@Injectable()
export class Sessions {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * The account's sessions lock, held until the caller's transaction ends: a sign-in that reads
   * the account again under it and then starts its session cannot miss an ending of every
   * session (a disabling) that commits meanwhile; either it sees the account disabled, or the
   * ending waits for its commit and revokes the new session too.
   */
  lock(manager: EntityManager, account: AccountRef): Promise<void> {
    return lockAccountSessions(manager, account);
  }

  /** A new session of the account, inside the caller's transaction. */
  start(manager: EntityManager, account: AccountRef): Promise<IssuedRefreshToken> {
    return this.insert(manager, account, newPublicId(), firstTokenExpiry(sessionPolicyOf(account.kind, this.config)));
  }

  /** The token after a spent one, in the same session, inside the transaction that consumed it. */
  renew(manager: EntityManager, spent: SpentRefreshToken): Promise<IssuedRefreshToken> {
    const expiry = nextTokenExpiry(sessionPolicyOf(spent.account.kind, this.config), spent.expiresAt);
    return this.insert(manager, spent.account, spent.sessionId, expiry);
  }

  /**
   * Revokes a live token of this kind and says whose it was, under the account's sessions lock
   * (held until the caller's transaction ends, the next token's insert included). Two requests
   * racing with one token: the second waits, finds the token revoked, and treats it as reuse.
   * A refusal is returned, not thrown, so the caller's transaction commits the theft response.
   */
  async consume(manager: EntityManager, kind: AccountKind, token: string): Promise<ConsumedRefreshToken> {
    const hash = refreshTokenHash(token);
    const owner = await manager.findOne(RefreshToken, { select: { id: true, accountId: true }, where: { tokenHash: hash, accountKind: kind } });
    if (!owner) return { refusal: refusalOf(null, false) };
    await lockAccountSessions(manager, { kind, id: String(owner.accountId) });
    const { raw: consumed }: { raw: SpentRow[] } = await manager
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ revokedAt: () => 'now()' })
      .where('tokenHash = :hash AND accountKind = :kind AND revokedAt IS NULL AND expiresAt > now()', { hash, kind })
      .returning('account_kind AS "accountKind", account_id AS "accountId", session_id AS "sessionId", expires_at AS "expiresAt"')
      .execute();
    if (consumed.length === 1) {
      const [row] = consumed;
      return { spent: { account: { kind: row.accountKind, id: String(row.accountId) }, sessionId: row.sessionId, expiresAt: row.expiresAt } };
    }

    const row = await manager.findOne(RefreshToken, {
      select: { id: true, accountId: true, revokedAt: true, sessionId: true },
      where: { tokenHash: hash, accountKind: kind },
    });
    if (!row) return { refusal: refusalOf(null, false) };
    // Read under the lock, after any refresh racing with this token committed: its successor is seen.
    const sessionLive = row.revokedAt !== null && (await this.sessionLive(manager, row.sessionId));
    const refusal = refusalOf(row, sessionLive);
    const account = { kind, id: String(row.accountId) };
    if (endsEverySession(refusal)) await this.endEverySession(manager, account);
    return { refusal, account };
  }

  /**
   * Logout: ends the session the token belongs to, whichever of its tokens is shown. Unknown
   * tokens, another kind's, and sessions already ended are ignored: logging out twice is fine.
   */
  async end(kind: AccountKind, token: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const row = await manager.findOne(RefreshToken, {
        select: { id: true, sessionId: true, accountId: true },
        where: { tokenHash: refreshTokenHash(token), accountKind: kind },
      });
      if (!row) return;
      await lockAccountSessions(manager, { kind, id: String(row.accountId) });
      await manager.update(RefreshToken, { sessionId: row.sessionId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
    });
  }

  /** Whether the session still has a live token (on Postgres's clock). */
  private async sessionLive(manager: EntityManager, sessionId: string): Promise<boolean> {
    return manager
      .createQueryBuilder(RefreshToken, 'token')
      .where('token.sessionId = :sessionId AND token.revokedAt IS NULL AND token.expiresAt > now()', { sessionId })
      .getExists();
  }

  /** Ends every live session of the account (a disabled account, a reused token), in the caller's transaction, under its sessions lock. */
  async endEverySession(manager: EntityManager, account: AccountRef): Promise<void> {
    await lockAccountSessions(manager, account);
    await manager.update(
      RefreshToken,
      { accountKind: account.kind, accountId: account.id, revokedAt: IsNull() },
      { revokedAt: () => 'now()' },
    );
  }

  private async insert(manager: EntityManager, account: AccountRef, sessionId: string, expiry: TokenExpiry): Promise<IssuedRefreshToken> {
    const refreshToken = randomBytes(32).toString('base64url');
    const { raw }: { raw: Array<Pick<RefreshToken, 'expiresAt'>> } = await manager
      .createQueryBuilder()
      .insert()
      .into(RefreshToken)
      .values({
        publicId: newPublicId(),
        accountKind: account.kind,
        accountId: account.id,
        sessionId,
        tokenHash: refreshTokenHash(refreshToken),
        // Postgres's clock, as every check of the expiry uses.
        expiresAt: 'at' in expiry ? expiry.at : () => 'now() + make_interval(secs => :lifetimeSeconds)',
      })
      .setParameter('lifetimeSeconds', 'at' in expiry ? null : expiry.afterSeconds)
      .returning('expires_at AS "expiresAt"')
      .execute();
    return { refreshToken, expiresAt: raw[0].expiresAt, sessionId };
  }
}

/** The account's sessions lock (LOCK_ACCOUNT_SESSIONS), until the transaction ends; taken again in it, it is already held. */
async function lockAccountSessions(manager: EntityManager, account: AccountRef): Promise<void> {
  await manager.query(LOCK_ACCOUNT_SESSIONS, [account.kind, account.id]);
}
