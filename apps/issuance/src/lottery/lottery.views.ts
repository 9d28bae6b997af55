import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { CampaignStatus } from '../campaigns/campaign-states';

const HASH = { example: 'a3f1c0d2e4b5968778695a4b3c2d1e0fa3f1c0d2e4b5968778695a4b3c2d1e0f', pattern: '^[0-9a-f]{64}$' };
/** The round's public value source as every view publishes it. */
export const PUBLIC_VALUE_SOURCE = {
  example: '上海证券交易所公布的 2026-12-10 上证指数收盘点数',
  description:
    "Where the draw's public value is read (开奖依据): named when the round was created, published with the commitment before sign-up, never changed",
};
const ROUND_ID = { description: 'Public id of the round', format: 'uuid', example: '3f0c1a52-8d3e-4b8e-9a41-0d2f6a7b9c10' };

/** A resident's sign-up: their entry's hash as the published list will show it, and the round's commitment. */
export class EntryView {
  @ApiProperty(ROUND_ID)
  roundId: string;

  @ApiProperty({ ...HASH, description: 'SHA-256(salt ‖ your resident id): find it in the published entrant list' })
  entryHash: string;

  @ApiProperty({ ...HASH, description: 'SHA-256 of the secret seed, published before sign-up opened' })
  commitment: string;
}

export const ENTRY_STATUSES = ['pending', 'won', 'skipped', 'not_drawn'] as const;

/** A resident's own entry and how it fared. */
export class MyEntryView extends EntryView {
  @ApiProperty({
    enum: ENTRY_STATUSES,
    description: 'pending until the draw is published; won (voucherId), skipped (drawn but over a per-person limit: skipReason) or not_drawn',
  })
  status: (typeof ENTRY_STATUSES)[number];

  @ApiPropertyOptional({ type: String, nullable: true, example: 'per_person_limit' })
  skipReason: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'uuid', description: "The winner's voucher" })
  voucherId: string | null;
}

export const LOTTERY_STAGES = ['signup_pending', 'signup_open', 'signup_closed', 'frozen', 'value_agreed', 'drawn'] as const;

/** The statuses a lottery round's campaign is seen in: a draft campaign's rounds are not found. */
export const LOTTERY_CAMPAIGN_STATUSES = ['scheduled', 'active', 'paused', 'ended'] as const satisfies readonly CampaignStatus[];

/** What a lottery round has published so far; no sign-in needed. */
export class LotteryView {
  @ApiProperty(ROUND_ID)
  roundId: string;

  @ApiProperty({ type: 'integer', example: 1000, description: 'Vouchers the draw gives out: as many winners' })
  quantity: number;

  @ApiProperty({ format: 'date-time' })
  signupOpensAt: string;

  @ApiProperty({ format: 'date-time' })
  signupClosesAt: string;

  @ApiProperty({ ...HASH, description: 'SHA-256 of the 32 bytes of the secret seed' })
  commitment: string;

  @ApiProperty(PUBLIC_VALUE_SOURCE)
  publicValueSource: string;

  @ApiProperty({ ...HASH, description: "Salt of the entrants' hashes" })
  salt: string;

  @ApiProperty({ enum: LOTTERY_STAGES })
  stage: (typeof LOTTERY_STAGES)[number];

  @ApiProperty({
    enum: LOTTERY_CAMPAIGN_STATUSES,
    example: 'active',
    description:
      "The round's campaign's status. Only an active campaign takes sign-ups (409 CAMPAIGN_NOT_ACTIVE otherwise) and is drawn: " +
      'a paused one keeps the entries it has, takes new ones again once resumed while the published window is still open ' +
      '(the window does not move), and is drawn only once resumed; an ended one is never drawn',
  })
  campaignStatus: (typeof LOTTERY_CAMPAIGN_STATUSES)[number];
}

/** The frozen entrant list, a published file: `npm run lottery:verify -- --entrants <this> --results <results>`. */
export class EntrantsFileView {
  @ApiProperty(ROUND_ID)
  roundId: string;

  @ApiProperty({ ...HASH, description: 'SHA-256 of the seed, published before sign-up opened' })
  commitment: string;

  @ApiProperty({ ...HASH, description: 'Each entry hash is SHA-256(salt ‖ resident id)' })
  salt: string;

  @ApiProperty({ type: 'integer', example: 2 })
  count: number;

  @ApiProperty({ ...HASH, description: 'SHA-256 of the salt and the sorted entry hashes, each followed by a newline' })
  digest: string;

  @ApiProperty({ type: [String], description: 'Entry hashes, sorted', example: [HASH.example] })
  entrants: string[];

  @ApiProperty({ format: 'date-time' })
  frozenAt: string;

  @ApiProperty({ ...PUBLIC_VALUE_SOURCE, description: `${PUBLIC_VALUE_SOURCE.description}: the value read there will draw this list` })
  publicValueSource: string;
}

export class DrawnEntrantView {
  @ApiProperty({ type: 'integer', example: 1, description: 'Place in the draw, 1 first' })
  rank: number;

  @ApiProperty(HASH)
  entryHash: string;
}

export class SkippedEntrantView extends DrawnEntrantView {
  @ApiProperty({ example: 'per_person_limit', description: 'Why the entrant could not receive a voucher' })
  reason: string;
}

/** The draw's results, a published file: everything the verify script needs besides the entrant list. */
export class ResultsFileView {
  @ApiProperty(ROUND_ID)
  roundId: string;

  @ApiProperty({ type: 'integer', example: 1000 })
  quantity: number;

  @ApiProperty(HASH)
  commitment: string;

  @ApiProperty({ ...HASH, description: 'The seed, revealed at the draw: SHA-256 of its bytes is the commitment' })
  seed: string;

  @ApiProperty({
    example: '2026-12-03 上证指数收盘 3412.57',
    description: 'Agreed by two officials after sign-up closed, read at publicValueSource; normalised (NFKC, spaces) as the draw keys hash it',
  })
  publicValue: string;

  @ApiProperty(PUBLIC_VALUE_SOURCE)
  publicValueSource: string;

  @ApiProperty({ ...HASH, description: 'Digest of the entrant list the draw used' })
  entrantsDigest: string;

  @ApiProperty({ type: [DrawnEntrantView], description: 'Winners, in rank order' })
  winners: DrawnEntrantView[];

  @ApiProperty({ type: [SkippedEntrantView], description: 'Drawn entrants who could not receive, in rank order' })
  skips: SkippedEntrantView[];

  @ApiProperty({ format: 'date-time' })
  drawnAt: string;
}

export class PublicValueDto {
  @ApiProperty({
    example: '2026-12-03 上证指数收盘 3412.57',
    description:
      "A value nobody knew when sign-up closed, read at the round's publicValueSource. Normalised before it is compared and stored: " +
      'NFKC (full-width digits and letters become ASCII), trimmed, each run of white space one space',
  })
  @IsString()
  @Length(1, 200)
  value: string;
}

export const PUBLIC_VALUE_STATES = ['proposed', 'confirmed'] as const;

/** The public value after this step: proposed by one official, or confirmed by a second. */
export class PublicValueView {
  @ApiProperty(ROUND_ID)
  roundId: string;

  @ApiProperty({ enum: PUBLIC_VALUE_STATES })
  state: (typeof PUBLIC_VALUE_STATES)[number];

  @ApiProperty({ example: '2026-12-03 上证指数收盘 3412.57', description: 'The value as stored: normalised' })
  value: string;

  @ApiProperty({ format: 'uuid', description: 'The official who proposed it' })
  proposedBy: string;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'uuid', description: 'The official who confirmed it' })
  confirmedBy: string | null;
}

/** What the draw did. */
export class DrawView {
  @ApiProperty(ROUND_ID)
  roundId: string;

  @ApiProperty({ type: 'integer', example: 1000 })
  winners: number;

  @ApiProperty({ type: 'integer', example: 3 })
  skipped: number;

  @ApiProperty({ type: 'integer', example: 25000 })
  entrants: number;

  @ApiProperty({ format: 'date-time' })
  publishedAt: string;
}

export const FILE_FORMATS = ['json', 'csv'] as const;

export class EntrantsFormatQuery {
  @ApiPropertyOptional({ enum: FILE_FORMATS, description: 'csv: the same list as a CSV download (so does Accept: text/csv)' })
  @IsOptional()
  @IsIn(FILE_FORMATS)
  format?: (typeof FILE_FORMATS)[number];
}
