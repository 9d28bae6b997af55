import { Inject, Injectable } from '@nestjs/common';
import { newPublicId } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';

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
    await manager.query(
      `INSERT INTO refresh_tokens (public_id, resident_id, token_hash, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
      [newPublicId(), residentId, refreshTokenHash(token), this.config.refreshTokenTtlSeconds],
    );
    return token;
  }

  /**
   * Revokes a live token and says whose it was. Two requests racing with one token: the row
   * lock makes the second wait, find the token revoked, and treat it as reuse. A refusal is
   * returned, not thrown, so the caller's transaction commits the theft response.
   */
  async consume(manager: EntityManager, token: string): Promise<ConsumedRefreshToken> {
    const hash = refreshTokenHash(token);
    const [consumed]: [Array<{ resident_id: string }>, number] = await manager.query(
      `UPDATE refresh_tokens SET revoked_at = now()
        WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()
        RETURNING resident_id`,
      [hash],
    );
    if (consumed.length === 1) return { residentId: String(consumed[0].resident_id) };

    const [row]: Array<{ resident_id: string; revoked: boolean }> = await manager.query(
      `SELECT resident_id, revoked_at IS NOT NULL AS revoked FROM refresh_tokens WHERE token_hash = $1`,
      [hash],
    );
    if (!row) return { refusal: 'unknown' };
    if (!row.revoked) return { refusal: 'expired' };
    await manager.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE resident_id = $1 AND revoked_at IS NULL`, [
      row.resident_id,
    ]);
    return { refusal: 'revoked' };
  }

  /** Ends one session. Unknown and already revoked tokens are ignored: logging out twice is fine. */
  async revoke(token: string): Promise<void> {
    await this.db.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL`, [
      refreshTokenHash(token),
    ]);
  }
}
