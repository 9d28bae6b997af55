import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DayRange } from '../reconciliation/reconciliation-range';
import { daysOf } from './league-period';
import { lastClosedDay, Period, PeriodKind, periodOf, periodsTouching, todayAt } from './party-periods';
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

export interface CloseReport extends DayRange {
  /** Periods (days, weeks, months) touching the range and closed: counted now, or found counted before. */
  periods: number;
  counted: number;
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
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /**
   * Makes the stored counts of `period`, and of its days for the daily series, readable at
   * `now`; false for an open week or month, which are not stored. One round trip when they are
   * there already.
   */
  async prepare(period: Period, now: Date): Promise<boolean> {
    if (period.end <= lastClosedDay(now)) {
      const days = period.kind === 'day' ? [] : daysOf({ from: period.start, to: period.end }).map((day) => periodOf('day', day));
      const [{ closed }]: Array<{ closed: number }> = await this.db.query(CLOSED_WITH_DAYS, [period.kind, period.start, period.end]);
      if (closed < 1 + days.length) {
        await this.closeAll(period.kind, [period], now);
        await this.closeAll('day', days, now);
      }
      return true;
    }
    if (period.kind !== 'day') return false;
    // A day after today has no parties: nothing is stored, and nothing is read.
    if (period.start <= todayAt(now)) await this.refreshOpenDay(period);
    return true;
  }

  /** The close-figures job: every day, week and month touching `range` that is closed at `now`, counted once. */
  async close(range: DayRange, now = new Date()): Promise<CloseReport> {
    let periods = 0;
    let counted = 0;
    for (const kind of ['day', 'week', 'month'] as const) {
      const closed = periodsTouching(kind, range).filter((period) => period.end <= lastClosedDay(now));
      periods += closed.length;
      counted += await this.closeAll(kind, closed, now);
    }
    return { ...range, periods, counted };
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

  private async refreshOpenDay(period: Period): Promise<void> {
    const fresh = (state?: PeriodState) => state !== undefined && state.age_ms < OPEN_DAY_REFRESH_MS;
    const [before]: PeriodState[] = await this.db.query(PERIOD_STATE, [period.kind, period.start]);
    if (fresh(before)) return;
    await this.db.transaction(async (manager) => {
      if (before) {
        // Counts are there, if old: another process counting them now is enough.
        const [{ locked }]: Array<{ locked: boolean }> = await manager.query(TRY_LOCK_PERIOD, [period.kind, period.start]);
        if (!locked) return;
      } else {
        await manager.query(LOCK_PERIOD, [period.kind, period.start]);
      }
      const [state]: PeriodState[] = await manager.query(PERIOD_STATE, [period.kind, period.start]);
      if (fresh(state)) return;
      await this.count(manager, period, false);
    });
  }

  private async count(manager: EntityManager, period: Period, closed: boolean): Promise<void> {
    await manager.query(SET_COUNT_WORK_MEM, [COUNT_WORK_MEM]);
    await manager.query(DELETE_PERIOD_COUNTS, [period.kind, period.start]);
    await manager.query(INSERT_PERIOD_COUNTS, [period.kind, period.start, period.end]);
    await manager.query(MARK_PERIOD, [period.kind, period.start, period.end, closed]);
  }
}
