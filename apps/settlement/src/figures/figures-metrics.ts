import { Inject, Injectable } from '@nestjs/common';
import { withTimeout } from '@vouchers/common';
import { MetricsService } from '@vouchers/http';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { ACTIVE_CAMPAIGN_TOTALS } from './figures.sql';

/** Labels stay bounded: active campaigns only, and of those the most claimed. */
export const METRIC_CAMPAIGNS = 50;
/** A scrape must answer while Postgres is away: the series are left out instead. */
const SCRAPE_TIMEOUT_MS = 1_000;
/** The gauges of one scrape share one read. */
const READ_REUSE_MS = 1_000;

interface CampaignTotals {
  campaign_id: string;
  claimed: string;
  redeemed: string;
  refunded: string;
  city_fen: string;
  district_fen: string;
}

/**
 * The operators' business metrics on the settlement app's /metrics, beside the technical ones:
 * claims, redemptions, refunds and net subsidy (city and district shares) per active campaign
 * since it began, read from the running totals at each scrape (so every replica reports the
 * same figures, whichever process served the grab or the till).
 */
@Injectable()
export class FiguresMetrics {
  private last: { at: number; read: Promise<CampaignTotals[] | null> } | null = null;

  constructor(@Inject(MetricsService) metrics: MetricsService, @Inject(DataSource) private readonly db: DataSource) {
    const read = () => this.totals();
    const gauge = (name: string, help: string, values: (row: CampaignTotals) => Array<[Record<string, string>, number]>, labelNames = ['campaign']) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers: [metrics.registry],
        async collect() {
          this.reset();
          for (const row of (await read()) ?? []) for (const [labels, value] of values(row)) this.set(labels, value);
        },
      });
    gauge('vouchers_claimed', `Vouchers claimed per active campaign since it began (the ${METRIC_CAMPAIGNS} most claimed)`, (row) => [
      [{ campaign: row.campaign_id }, Number(row.claimed)],
    ]);
    gauge('vouchers_redeemed', 'Redemptions per active campaign since it began', (row) => [[{ campaign: row.campaign_id }, Number(row.redeemed)]]);
    gauge('vouchers_refunded', 'Refunds per active campaign since it began', (row) => [[{ campaign: row.campaign_id }, Number(row.refunded)]]);
    gauge('voucher_subsidy_fen', 'Net subsidy per active campaign since it began, in fen, by share (city, district)', (row) => [
      [{ campaign: row.campaign_id, share: 'city' }, Number(row.city_fen)],
      [{ campaign: row.campaign_id, share: 'district' }, Number(row.district_fen)],
    ], ['campaign', 'share']);
  }

  private totals(): Promise<CampaignTotals[] | null> {
    const now = Date.now();
    if (!this.last || now - this.last.at > READ_REUSE_MS) {
      const query = this.db.query(ACTIVE_CAMPAIGN_TOTALS, [METRIC_CAMPAIGNS]) as Promise<CampaignTotals[]>;
      this.last = { at: now, read: withTimeout(query.catch(() => null), SCRAPE_TIMEOUT_MS, null) };
    }
    return this.last.read;
  }
}
