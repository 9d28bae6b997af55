import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { fenColumn, timestampColumn } from './columns';

export const RETURN_POLICIES = ['none', 'next_round', 'program_budget'] as const;
export type ReturnPolicy = (typeof RETURN_POLICIES)[number];

/**
 * A voucher campaign. Empty `districts` means the whole city. The city's share of each
 * subsidy is `cityShareBp` basis points; the district pays the rest (the till's REDEEM_BATCH splits it).
 */
@Entity('campaigns')
@Check('campaigns_budget_check', '"budget_fen" >= 0')
@Check('campaigns_city_share_check', '"city_share_bp" BETWEEN 0 AND 10000')
@Check('campaigns_return_policy_check', `"return_policy" IN ('none', 'next_round', 'program_budget')`)
@Check('campaigns_returned_check', '"returned_fen" >= 0')
export class Campaign {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid', unique: true })
  publicId: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'text', array: true })
  categories: string[];

  @Column({ type: 'text', array: true })
  districts: string[];

  @Column(fenColumn())
  budgetFen: number;

  @Column({ type: 'integer' })
  cityShareBp: number;

  /** Days a voucher stays valid after its claim; null when the campaign has a fixed end. */
  @Column({ type: 'integer', nullable: true })
  validityDays: number | null;

  @Column(timestampColumn({ nullable: true }))
  validUntil: Date | null;

  @Column({ type: 'integer' })
  perPersonLimit: number;

  /**
   * What happens to the value of vouchers that expire unused, and of stock a round leaves
   * unclaimed when it closes (回流, apps/issuance/src/pool-returns): none; next_round (a later
   * round of the same voucher type takes it); program_budget (the campaign's budget is lowered
   * by it and the program's available budget rises).
   */
  @Column({ type: 'varchar', length: 16, default: 'none' })
  returnPolicy: ReturnPolicy;

  /** Budget handed back to the program by returns (program_budget): budget_fen + returned_fen is the budget the campaign was created with. */
  @Column(fenColumn({ default: 0 }))
  returnedFen: number;

  /**
   * What a partial refund does to the discount: reverse_below_threshold (the default: taken
   * back when the order left falls below the threshold) or keep_discount (never on a partial refund).
   */
  @Column({ type: 'varchar', length: 24, default: 'reverse_below_threshold' })
  partialRefundPolicy: string;

  /** draft | scheduled | active | paused | ended */
  @Column({ type: 'varchar', length: 16, default: 'draft' })
  status: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
