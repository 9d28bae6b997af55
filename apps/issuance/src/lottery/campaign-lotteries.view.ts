import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PUBLIC_VALUE_SOURCE } from './lottery.views';

const HASH = { example: 'a3f1c0d2e4b5968778695a4b3c2d1e0fa3f1c0d2e4b5968778695a4b3c2d1e0f', pattern: '^[0-9a-f]{64}$' };
const VALUE = { example: '2026-12-03 上证指数收盘 3412.57' };
const OFFICIAL = { type: String, nullable: true, format: 'uuid' };
const NAME = { type: String, nullable: true, example: '市商务局 演示 A' };
const AT = { type: String, nullable: true, format: 'date-time' };

/**
 * Where a lottery round stands for the officials who run it, by the database's clock:
 * sign-up not yet open, open, closed (the public value awaited), a value proposed by one
 * official, agreed by a second, drawn but not yet published (draw again to finish), drawn.
 */
export const OFFICIAL_LOTTERY_STAGES = ['signup_pending', 'signup_open', 'signup_closed', 'value_proposed', 'value_agreed', 'drawn_unpublished', 'drawn'] as const;
export type OfficialLotteryStage = (typeof OFFICIAL_LOTTERY_STAGES)[number];

/**
 * How a published draw's winners were told by SMS (the settlement worker's lottery win notices,
 * every ten minutes in the day). A winner in none of the four is not told: their account closed,
 * or their voucher was no longer usable, before the notice was decided.
 */
export class WinnersToldView {
  @ApiProperty({ type: 'integer', example: 998, description: 'Messages the gateway took' })
  sent: number;

  @ApiProperty({ type: 'integer', example: 0, description: 'Decided, not yet sent (the next run sends them; none go out from 22:00 to 08:00)' })
  waiting: number;

  @ApiProperty({ type: 'integer', example: 1, description: 'Not sent: the gateway refused the number, or the voucher expired before the send' })
  failed: number;

  @ApiProperty({ type: 'integer', example: 1, description: 'The gateway did not say whether it sent them (never sent again)' })
  unknown: number;
}

/** A lottery round of a campaign as its officials follow it: its published facts, the four eyes on its public value, its draw. */
export class AdminLotteryView {
  @ApiProperty({ description: 'Public id of the round', format: 'uuid' })
  roundId: string;

  @ApiProperty({ description: 'Public id of its voucher type', format: 'uuid' })
  voucherTypeId: string;

  @ApiProperty({ type: 'integer', example: 1000, description: 'Vouchers the draw gives out: as many winners' })
  quantity: number;

  @ApiProperty({ format: 'date-time' })
  signupOpensAt: string;

  @ApiProperty({ format: 'date-time' })
  signupClosesAt: string;

  @ApiProperty({ enum: OFFICIAL_LOTTERY_STAGES })
  stage: OfficialLotteryStage;

  @ApiProperty({ ...HASH, description: 'SHA-256 of the secret seed, to publish before sign-up opens' })
  commitment: string;

  @ApiProperty({ ...PUBLIC_VALUE_SOURCE, description: `${PUBLIC_VALUE_SOURCE.description}: what the officials look up after the close` })
  publicValueSource: string;

  @ApiProperty({ type: 'integer', example: 25000, description: 'Residents signed up: counted now until the list is frozen, then the frozen count' })
  entrants: number;

  @ApiPropertyOptional({ ...AT, description: 'When the entrant list was frozen (the first step or read after sign-up closed)' })
  frozenAt: string | null;

  @ApiPropertyOptional({ ...HASH, type: String, nullable: true, description: "The frozen list's digest" })
  entrantsDigest: string | null;

  @ApiPropertyOptional({
    ...VALUE,
    type: String,
    nullable: true,
    description:
      'The value proposed: to its proposer only until it is confirmed (the confirming official enters it as they found it at the announced source), then to every reader',
  })
  proposedValue: string | null;

  @ApiPropertyOptional({ ...OFFICIAL, description: 'The official who proposed it' })
  proposedBy: string | null;

  @ApiPropertyOptional(NAME)
  proposedByName: string | null;

  @ApiPropertyOptional(AT)
  proposedAt: string | null;

  @ApiPropertyOptional({ ...VALUE, type: String, nullable: true, description: 'The public value, once a second official confirmed it' })
  publicValue: string | null;

  @ApiPropertyOptional({ ...OFFICIAL, description: 'The official who confirmed it (never the proposer)' })
  confirmedBy: string | null;

  @ApiPropertyOptional(NAME)
  confirmedByName: string | null;

  @ApiPropertyOptional(AT)
  confirmedAt: string | null;

  @ApiPropertyOptional({ ...AT, description: "When the winners' vouchers were saved" })
  drawnAt: string | null;

  @ApiPropertyOptional({ ...AT, description: 'When the results were published (the vouchers in Redis too)' })
  publishedAt: string | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true, example: 1000, description: 'Winners, once published' })
  winners: number | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true, example: 3, description: 'Drawn entrants skipped (over a per-person limit), once published' })
  skipped: number | null;

  @ApiPropertyOptional({ type: WinnersToldView, nullable: true, description: 'How the winners were told by SMS, once published' })
  winnersTold: WinnersToldView | null;
}

export class CampaignLotteriesView {
  @ApiProperty({ type: [AdminLotteryView], description: "The campaign's lottery rounds, by opening time; none for a campaign of grabs only" })
  rounds: AdminLotteryView[];
}
