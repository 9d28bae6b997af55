import { ApiProperty } from '@nestjs/swagger';
import { Fen } from '@vouchers/common';

export const EXPIRY_RUN_STATUSES = ['running', 'finished'] as const;

/** What a run expired of one round: its campaign, voucher type and round, count and face value. */
export class ExpiredOfRound {
  @ApiProperty({ format: 'uuid' })
  campaignId: string;

  @ApiProperty({ format: 'uuid' })
  voucherTypeId: string;

  @ApiProperty({ format: 'uuid' })
  roundId: string;

  @ApiProperty({ type: 'integer' })
  vouchers: number;

  @ApiProperty({ type: 'integer', description: 'Their face value, in fen' })
  faceValueFen: Fen;
}

/**
 * One run of the voucher expiry job and its progress. Counts are what its committed chunks
 * expired; a running run (or one whose worker died: the next job resumes it) shows the chunks so far.
 */
export class ExpiryRunView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: EXPIRY_RUN_STATUSES, description: 'running until every chunk has committed' })
  status: string;

  @ApiProperty({ format: 'date-time', description: 'Vouchers whose validity ended at or before this moment are expired by the run (UTC)' })
  cutoff: string;

  @ApiProperty({ format: 'date-time' })
  startedAt: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: 'string' })
  finishedAt: string | null;

  @ApiProperty({ type: 'integer', description: 'Chunks of voucher ids the run works through' })
  chunks: number;

  @ApiProperty({ type: 'integer', description: 'Chunks committed' })
  chunksDone: number;

  @ApiProperty({ type: 'integer', description: 'Vouchers this run recorded as expired' })
  expiredCount: number;

  @ApiProperty({ type: 'integer', description: 'Their face value, in fen' })
  expiredFen: Fen;

  @ApiProperty({ type: [ExpiredOfRound], description: 'The same by round, with its campaign and voucher type' })
  byRound: ExpiredOfRound[];
}
