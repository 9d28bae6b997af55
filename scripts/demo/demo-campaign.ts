import { businessDayOf, newPublicId, previousBusinessDay } from '@vouchers/common';
import { Campaign, Round, VoucherType } from '@vouchers/database';
import { EntityManager } from 'typeorm';
import { DemoPeople } from './demo-people';
import { seedDemoDay, shanghaiTime } from './demo-day';

export const DEMO_CAMPAIGN = '宁波消费券 · 餐饮零售 (demo)';
const VALIDITY_DAYS = 7;
const DAY_MS = 86_400_000;
/** A session of the program: rounds open at 10:00 and close at 22:00, Asia/Shanghai. */
const SESSION = ['10:00', '22:00'] as const;

/** 满40减10 and 满100减30: [name, face value, threshold, vouchers per round]. */
const VOUCHER_TYPES = [
  ['满40减10', 1000, 4000, 2000],
  ['满100减30', 3000, 10000, 1000],
] as const;

/**
 * The demo campaign, made once (a later seed finds it by name and changes nothing). Each voucher
 * type has three rounds: yesterday's session (Asia/Shanghai), whose vouchers were spent at the
 * tills that day, so the day is ready to settle; one open from now until sold out, for the
 * walk's grab; and next week's session, upcoming.
 */
export async function seedCampaign(manager: EntityManager, people: DemoPeople, voucherCodeKey: string, now: Date): Promise<void> {
  const existing: unknown[] = await manager.query('SELECT 1 FROM campaigns WHERE name = $1', [DEMO_CAMPAIGN]);
  if (existing.length > 0) return;
  const [campaign]: Array<Pick<Campaign, 'id'>> = await manager.query(
    `INSERT INTO campaigns (public_id, name, categories, districts, budget_fen, city_share_bp, validity_days,
                            per_person_limit, return_policy, status)
     VALUES ($1, $2, $3, '{}', 100000000, 5000, $4, 2, 'next_round', 'active') RETURNING id`,
    [newPublicId(), DEMO_CAMPAIGN, ['dining', 'retail', 'supermarket', 'night_economy'], VALIDITY_DAYS],
  );
  const day = previousBusinessDay(now);
  const nextWeek = new Date(Date.parse(`${businessDayOf(now)}T00:00:00Z`) + 7 * DAY_MS).toISOString().slice(0, 10);
  const openNow = new Date(Math.floor(now.getTime() / 60_000) * 60_000 - 60_000);
  const pastRounds: string[] = [];
  for (const [name, faceValueFen, thresholdFen, quantity] of VOUCHER_TYPES) {
    const [type]: Array<Pick<VoucherType, 'id'>> = await manager.query(
      `INSERT INTO voucher_types (public_id, campaign_id, name, face_value_fen, threshold_fen)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [newPublicId(), campaign.id, name, faceValueFen, thresholdFen],
    );
    const round = (opensAt: Date, closesAt: Date | null): Promise<Array<Pick<Round, 'id'>>> =>
      manager.query(
        `INSERT INTO rounds (public_id, campaign_id, voucher_type_id, opens_at, closes_at, quantity) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [newPublicId(), campaign.id, type.id, opensAt, closesAt, quantity],
      );
    const [past] = await round(shanghaiTime(day, SESSION[0]), shanghaiTime(day, SESSION[1]));
    await round(openNow, null);
    await round(shanghaiTime(nextWeek, SESSION[0]), shanghaiTime(nextWeek, SESSION[1]));
    pastRounds.push(past.id);
  }
  await seedDemoDay(manager, {
    campaignId: campaign.id,
    validityDays: VALIDITY_DAYS,
    pastRounds,
    roundOpensAt: shanghaiTime(day, SESSION[0]),
    day,
    dayResidents: people.dayResidents,
    cashiers: people.cashiers,
    voucherCodeKey,
  });
}

export interface DemoCampaignFacts {
  /** The 满40减10 round open now, for the walk's grab; null once none is. */
  openRound: string | null;
  /** When the next round opens. */
  nextRoundAt: Date | null;
  /** The demo day, its redemptions and their subsidy; null for a database seeded before the demo had one. */
  day: { date: string; redemptions: number; subsidyFen: number } | null;
}

/** What the banner tells of the campaign, read as it stands (first seed or a later one). */
export async function readCampaignFacts(manager: EntityManager, now: Date): Promise<DemoCampaignFacts> {
  const [open]: Array<{ id: string }> = await manager.query(
    `SELECT r.public_id AS id FROM rounds r JOIN campaigns c ON c.id = r.campaign_id JOIN voucher_types t ON t.id = r.voucher_type_id
      WHERE c.name = $1 AND t.face_value_fen = 1000 AND r.opens_at <= $2 AND (r.closes_at IS NULL OR r.closes_at > $2) AND r.issued < r.quantity
      ORDER BY r.opens_at LIMIT 1`,
    [DEMO_CAMPAIGN, now],
  );
  const [next]: Array<{ at: Date | null }> = await manager.query(
    'SELECT min(r.opens_at) AS at FROM rounds r JOIN campaigns c ON c.id = r.campaign_id WHERE c.name = $1 AND r.opens_at > $2',
    [DEMO_CAMPAIGN, now],
  );
  const [day]: Array<{ date: string | null; redemptions: number; subsidyFen: number }> = await manager.query(
    `SELECT to_char(min(r.business_date), 'YYYY-MM-DD') AS date, count(*)::int AS redemptions, COALESCE(sum(r.discount_fen), 0)::int AS "subsidyFen"
       FROM redemptions r JOIN vouchers v ON v.id = r.voucher_id JOIN campaigns c ON c.id = v.campaign_id
      WHERE c.name = $1 AND r.merchant_order_no LIKE 'DEMO-%'`,
    [DEMO_CAMPAIGN],
  );
  return {
    openRound: open?.id ?? null,
    nextRoundAt: next?.at ?? null,
    day: day.date ? { date: day.date, redemptions: day.redemptions, subsidyFen: day.subsidyFen } : null,
  };
}
