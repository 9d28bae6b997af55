import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DayRange } from '../reconciliation/reconciliation-range';
import { daysOf } from './league-period';
import { lastClosedDay, Period, PeriodKind, periodOf, periodsTouching, todayAt } from './party-periods';
import { PeriodTotals } from './period-totals';
import {
  CLOSED_PERIODS,
  CLOSED_WITH_DAYS,
  DELETE_PERIOD_COUNTS,
  INSERT_PERIOD_COUNTS,
  LOCK_PERIOD,
  MARK_PERIOD,
  PERIOD_STATE,
  SET_COUNT_WORK_MEM,
  TRY_LOCK_PERIOD,
} from './party-counts.sql';

/** An open day's stored counts are counted again by a read once they are this old: today's parties are at most this (plus a count's time) behind. */
export const OPEN_DAY_REFRESH_MS = 5_000;

/** Memory for a count's distinct sorts (a month's parties are a few million rows). */
const COUNT_WORK_MEM = '64MB';

interface PeriodState {
  closed: boolean;
  age_ms: number;
}

const fresh = (state?: PeriodState) => state !== undefined && state.age_ms < OPEN_DAY_REFRESH_MS;

export interface CloseReport extends DayRange {
  /** Periods (days, weeks, months) touching the range and closed: counted now, or found counted before. */
  periods: number;
  counted: number;
  /** Of those, the periods whose additive totals were stored (first stored, or stale after a late expiry). */
  totalsStored: number;
}

/**
 * Keeps the distinct party counts of whole periods (figures_party_counts). A closed period is
 * counted once (under a lock per period, so two processes never count it twice; a second call
 * finds it closed and does nothing): by the nightly close-figures job, or by the first read that
 * wants it. An open day (today) is counted again by a read once its counts are
 * OPEN_DAY_REFRESH_MS old: one read does it while the others read the counts as they are.
 */
@Injectable()
export class PartyCounts {
  private readonly logger = new Logger(PartyCounts.name);
  /** Open days being counted again by this process in the background. */
  private readonly refreshing = new Set<string>();
  /** When the open day's counts were last counted, as this process last saw it: reads within OPEN_DAY_REFRESH_MS of it skip asking. */
  private openDay?: { day: string; countedAt: number };

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(PeriodTotals) private readonly totals: PeriodTotals,
  ) {}

  /**
   * Makes the stored counts of `period`, and of its days for the daily series, readable at
   * `now`: 'closed' when the period is closed, its counts and additive totals (PeriodTotals)
   * stored; 'open' for an open day, whose counts are stored again when a few seconds old; null
   * for an open week or month, which are not stored. One round trip when they are there already.
   */
  async prepare(period: Period, now: Date): Promise<'closed' | 'open' | null> {
    if (period.end <= lastClosedDay(now)) {
      const days = period.kind === 'day' ? [] : daysOf({ from: period.start, to: period.end }).map((day) => periodOf('day', day));
      const [{ closed, stored }]: Array<{ closed: number; stored: number }> = await this.db.query(CLOSED_WITH_DAYS, [period.kind, period.start, period.end]);
      if (closed < 1 + days.length) {
        await this.closeAll(period.kind, [period], now);
        await this.closeAll('day', days, now);
      }
      if (stored < 1 + days.length) await this.totals.store([period, ...days]);
      return 'closed';
    }
    if (period.kind !== 'day') return null;
    // A day after today has no parties: nothing is stored, and nothing is read.
    if (period.start <= todayAt(now)) await this.refreshOpenDay(period);
    return 'open';
  }

  /**
   * The close-figures job: every day, week and month touching `range` that is closed at `now`,
   * counted once, and its additive totals stored (again, if an expiry marked them stale).
   */
  async close(range: DayRange, now = new Date()): Promise<CloseReport> {
    const closed: Period[] = [];
    let counted = 0;
    for (const kind of ['day', 'week', 'month'] as const) {
      const ofKind = periodsTouching(kind, range).filter((period) => period.end <= lastClosedDay(now));
      closed.push(...ofKind);
      counted += await this.closeAll(kind, ofKind, now);
    }
    const totalsStored = await this.totals.store(closed);
    return { ...range, periods: closed.length, counted, totalsStored };
  }

  /** Counts each closed period not counted yet; answers how many it counted. */
  private async closeAll(kind: PeriodKind, periods: Period[], now: Date): Promise<number> {
    const closable = periods.filter((period) => period.end <= lastClosedDay(now));
    if (closable.length === 0) return 0;
    const rows: Array<{ start: string }> = await this.db.query(CLOSED_PERIODS, [kind, closable.map((period) => period.start)]);
    const done = new Set(rows.map((row) => row.start));
    let counted = 0;
    for (const period of closable.filter((candidate) => !done.has(candidate.start))) {
      const didCount = await this.db.transaction(async (manager) => {
        await manager.query(LOCK_PERIOD, [period.kind, period.start]);
        const [state]: PeriodState[] = await manager.query(PERIOD_STATE, [period.kind, period.start]);
        if (state?.closed) return false;
        await this.count(manager, period, true);
        return true;
      });
      if (didCount) counted += 1;
    }
    return counted;
  }

  /**
   * An open day's counts, counted again once OPEN_DAY_REFRESH_MS old: in the background when
   * there are counts to read meanwhile (the read does not wait the count's second or two), at
   * once when there are none yet. One count at a time per process; across processes, the lock.
   */
  private async refreshOpenDay(period: Period): Promise<void> {
    // Counted (by this process, or seen counted) less than OPEN_DAY_REFRESH_MS ago: no need to ask.
    if (this.openDay?.day === period.start && Date.now() - this.openDay.countedAt < OPEN_DAY_REFRESH_MS) return;
    const [before]: PeriodState[] = await this.db.query(PERIOD_STATE, [period.kind, period.start]);
    if (before) this.openDay = { day: period.start, countedAt: Date.now() - before.age_ms };
    if (fresh(before)) return;
    if (!before) return this.recountOpenDay(period, false);
    if (this.refreshing.has(period.start)) return;
    this.refreshing.add(period.start);
    this.recountOpenDay(period, true)
      .catch((error: unknown) => this.logger.warn({ day: period.start, err: error }, 'counting the open day’s parties again failed; the next read tries again'))
      .finally(() => this.refreshing.delete(period.start));
  }

  /** Counts the open day's parties again; with counts there already, only if no other process is counting them now. */
  private async recountOpenDay(period: Period, countsThere: boolean): Promise<void> {
    const counted = await this.db.transaction(async (manager) => {
      if (countsThere) {
        // Counts are there, if old: another process counting them now is enough.
        const [{ locked }]: Array<{ locked: boolean }> = await manager.query(TRY_LOCK_PERIOD, [period.kind, period.start]);
        if (!locked) return false;
      } else {
        await manager.query(LOCK_PERIOD, [period.kind, period.start]);
      }
      const [state]: PeriodState[] = await manager.query(PERIOD_STATE, [period.kind, period.start]);
      if (fresh(state)) return false;
      await this.count(manager, period, false);
      return true;
    });
    // Committed a moment after the count marked its time: seen fresh for that moment longer.
    if (counted) this.openDay = { day: period.start, countedAt: Date.now() };
  }


  private async count(manager: EntityManager, period: Period, closed: boolean): Promise<void> {
    await manager.query(SET_COUNT_WORK_MEM, [COUNT_WORK_MEM]);
    await manager.query(DELETE_PERIOD_COUNTS, [period.kind, period.start]);
    await manager.query(INSERT_PERIOD_COUNTS, [period.kind, period.start, period.end]);
    await manager.query(MARK_PERIOD, [period.kind, period.start, period.end, closed]);
  }
}
