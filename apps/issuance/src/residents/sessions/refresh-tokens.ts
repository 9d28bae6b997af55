import { Inject, Injectable } from '@nestjs/common';
import { newPublicId } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { RefreshToken } from '@vouchers/database';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';

/** Why a refresh token was not accepted. */
export type RefreshRefusal = 'unknown' | 'expired' | 'revoked';

export type ConsumedRefreshToken = { residentId: string } | { refusal: RefreshRefusal };

/** SHA-256 is enough here (unlike ID numbers): the token carries 256 random bits, so there is nothing to guess. */
export function refreshTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Residents' refresh tokens: opaque, single use, stored only as a hash. Each refresh consumes
 * the token and issues the next; a consumed or revoked token that comes back means two
 * parties hold the chain (one of them a thief), so every session of the resident ends.
 */
@Injectable()
export class RefreshTokens {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** A new token for the resident (internal id), inside the caller's transaction. */
  async issue(manager: EntityManager, residentId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await manager
      .createQueryBuilder()
      .insert()
      .into(RefreshToken)
      .values({
        publicId: newPublicId(),
        residentId,
        tokenHash: refreshTokenHash(token),
        // Postgres's clock, as every check of the expiry uses.
        expiresAt: () => 'now() + make_interval(secs => :ttlSeconds)',
      })
      .setParameter('ttlSeconds', this.config.refreshTokenTtlSeconds)
      .execute();
    return token;
  }

  /**
   * Revokes a live token and says whose it was. Two requests racing with one token: the row
   * lock makes the second wait, find the token revoked, and treat it as reuse. A refusal is
   * returned, not thrown, so the caller's transaction commits the theft response.
   */
  async consume(manager: EntityManager, token: string): Promise<ConsumedRefreshToken> {
    const hash = refreshTokenHash(token);
    const { raw: consumed }: { raw: Array<Pick<RefreshToken, 'residentId'>> } = await manager
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ revokedAt: () => 'now()' })
      .where('tokenHash = :hash AND revokedAt IS NULL AND expiresAt > now()', { hash })
      .returning('resident_id AS "residentId"')
      .execute();
    if (consumed.length === 1) return { residentId: String(consumed[0].residentId) };

    const row = await manager.findOne(RefreshToken, { select: { id: true, residentId: true, revokedAt: true }, where: { tokenHash: hash } });
    if (!row) return { refusal: 'unknown' };
    if (row.revokedAt === null) return { refusal: 'expired' };
    await manager.update(RefreshToken, { residentId: row.residentId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
    return { refusal: 'revoked' };
  }

  /** Ends one session. Unknown and already revoked tokens are ignored: logging out twice is fine. */
  async revoke(token: string): Promise<void> {
    await this.db.manager.update(RefreshToken, { tokenHash: refreshTokenHash(token), revokedAt: IsNull() }, { revokedAt: () => 'now()' });
  }
}
