import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Distinct party counts of whole periods (issue 18: a month's read counted the month's
 * residents and merchants over figures_parties at read time, seconds at a city's size):
 * figures_party_periods names each period counted (a business day, a week from a Monday, a
 * month; closed or an open day's) and figures_party_counts holds its counts per grouping.
 * Written by the settlement app (PartyCounts), never by a trigger: the till's cost is unchanged.
 * Nothing is counted here: a closed period is counted by the nightly close-figures job or by the
 * first read that wants it.
 */
export class FiguresPartyCounts1796710000000 implements MigrationInterface {
  name = 'FiguresPartyCounts1796710000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "figures_party_periods" ("period" character varying(8) NOT NULL, "period_start" date NOT NULL, "period_end" date NOT NULL, "closed" boolean NOT NULL, "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "figures_party_periods_period_check" CHECK ("period" IN ('day', 'week', 'month')), CONSTRAINT "PK_figures_party_periods" PRIMARY KEY ("period", "period_start"))`);
    await queryRunner.query(`CREATE TABLE "figures_party_counts" ("period" character varying(8) NOT NULL, "period_start" date NOT NULL, "dimension" character varying(24) NOT NULL, "district" character varying(16) NOT NULL, "campaign_id" bigint NOT NULL, "voucher_type_id" bigint NOT NULL, "category" character varying(32) NOT NULL, "residents" bigint NOT NULL, "merchants" bigint NOT NULL, CONSTRAINT "PK_figures_party_counts" PRIMARY KEY ("period", "period_start", "dimension", "district", "campaign_id", "voucher_type_id", "category"))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "figures_party_counts"`);
    await queryRunner.query(`DROP TABLE "figures_party_periods"`);
  }
}
