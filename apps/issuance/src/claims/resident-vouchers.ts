import { Inject, Injectable } from '@nestjs/common';
import { decodeIdCursor, Page, toPage } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { toVoucherView, VOUCHER_SELECT, VOUCHER_STATUS, VoucherRow, VoucherView } from './voucher.view';

/**
 * A resident's vouchers, always read through the resident's own id from the token: there is
 * no query here that takes a voucher id without the owner beside it.
 */
@Injectable()
export class ResidentVouchers {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async findOne(residentId: string, voucherId: string): Promise<VoucherView | null> {
    const rows: VoucherRow[] = await this.db.query(`${VOUCHER_SELECT} WHERE res.public_id = $1 AND v.public_id = $2`, [
      residentId,
      voucherId,
    ]);
    return rows.length > 0 ? toVoucherView(rows[0]) : null;
  }

  async findForRound(residentId: string, roundId: string): Promise<VoucherView | null> {
    const rows: VoucherRow[] = await this.db.query(`${VOUCHER_SELECT} WHERE res.public_id = $1 AND r.public_id = $2`, [
      residentId,
      roundId,
    ]);
    return rows.length > 0 ? toVoucherView(rows[0]) : null;
  }

  /** Whether the resident holds a voucher grabbed with this Idempotency-Key, in any campaign. */
  async holdsKey(residentId: string, idempotencyKey: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      'SELECT 1 FROM vouchers v JOIN residents res ON res.id = v.resident_id WHERE res.public_id = $1 AND v.idempotency_key = $2',
      [residentId, idempotencyKey],
    );
    return rows.length > 0;
  }

  /** Waits for a voucher another request of the same person is still writing. */
  async waitFor(residentId: string, voucherId: string, timeoutMs: number): Promise<VoucherView | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await this.findOne(residentId, voucherId);
      if (found || Date.now() >= deadline) return found;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async list(residentId: string, status: string | undefined, limit: number, cursor?: string): Promise<Page<VoucherView>> {
    const after = decodeIdCursor(cursor);
    const rows: VoucherRow[] = await this.db.query(
      `${VOUCHER_SELECT}
        WHERE res.public_id = $1
          AND ($2::text IS NULL OR ${VOUCHER_STATUS} = $2::text)
          AND ($3::uuid IS NULL OR v.public_id < $3::uuid)
        ORDER BY v.public_id DESC
        LIMIT $4`,
      [residentId, status ?? null, after, limit + 1],
    );
    return toPage(rows, limit, (row) => [row.public_id], toVoucherView);
  }
}
