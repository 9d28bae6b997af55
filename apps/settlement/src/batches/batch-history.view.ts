import { ApiProperty } from '@nestjs/swagger';
import { AuditEntry } from '@vouchers/database';
import { BATCH_STATUSES } from './list-batches.query';

/** The audit actions recorded on a batch, by whoever took them (targetType settlement_batch). */
export const BATCH_ACTIONS = [
  'settlement_batch.start',
  'settlement_batch.built',
  'settlement_line.hold',
  'settlement_batch.submit',
  'settlement_batch.approve',
  'settlement_batch.reopen',
  'settlement_batch.payout_file',
  'settlement_batch.bank_results',
] as const;

/** One thing done to a batch, from the audit log. */
export class BatchEventView {
  @ApiProperty({
    enum: BATCH_ACTIONS,
    description:
      'start (the official whose start opened the batch; a day the nightly schedule opened has none), ' +
      'built (by the settlement worker, when every chunk was in), settlement_line.hold, submit (复核), approve, reopen, payout_file (the first ' +
      'download moves the batch to paying), bank_results',
  })
  action: string;

  @ApiProperty({ enum: BATCH_STATUSES, nullable: true, description: 'The status before, when the action moved it; null when it did not (a hold, a repeated download)' })
  from: string | null;

  @ApiProperty({ enum: BATCH_STATUSES, nullable: true, description: 'The status after, when the action moved it' })
  to: string | null;

  @ApiProperty({ description: 'Public id of the finance official who acted, or settlement-worker for the build' })
  by: string;

  @ApiProperty({ type: String, nullable: true, description: "The official's name; null for the settlement worker" })
  byName: string | null;

  @ApiProperty({ example: 'finance_official', description: 'system for the settlement worker' })
  byRole: string;

  @ApiProperty({ type: String, format: 'date-time' })
  at: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The rest of what was recorded: a hold's lineId, reason and amountFen; a file's name, line counts and sums; the build's totals",
  })
  detail: Record<string, unknown>;
}

export class BatchHistoryView {
  @ApiProperty({ description: 'Public id of the batch' })
  batchId: string;

  @ApiProperty({ enum: BATCH_STATUSES })
  status: string;

  @ApiProperty({
    type: [BatchEventView],
    description: 'Newest first, at most the latest 100 (all of them in the audit trail, GET /v1/audit/entries?targetType=settlement_batch)',
  })
  history: BatchEventView[];
}

/** `names`: officials' names by public id (officialNames). */
export function batchEventOf(entry: AuditEntry, names: ReadonlyMap<string, string>): BatchEventView {
  const { from, to, ...rest } = entry.detail as { from?: string; to?: string } & Record<string, unknown>;
  return {
    action: entry.action,
    // The build records only where it moved the batch to: from building, always.
    from: from ?? (entry.action === 'settlement_batch.built' ? 'building' : null),
    to: to ?? null,
    by: entry.actorId,
    byName: names.get(entry.actorId) ?? null,
    byRole: entry.actorRole,
    at: entry.at.toISOString(),
    detail: rest,
  };
}
