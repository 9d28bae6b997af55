import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { decodeIdCursor, Page, PageQueryDto, toPage } from '@vouchers/common';
import { ExpiryRun } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { RUN_TOTALS } from './expiry-runs.sql';
import { ExpiredOfRound, ExpiryRunView } from './expiry-run.view';

type TotalRow = Omit<ExpiredOfRound, 'faceValueFen'> & { runId: string; faceValueFen: string };

/**
 * The expiry job's runs, newest first, each with what it expired by round. A district official
 * sees only their district's campaigns (as in the figures and the campaigns' pages): a run's
 * counts are then those of its rounds in them.
 */
@Injectable()
export class ListExpiryRuns {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(caller: AuthUser, query: PageQueryDto): Promise<Page<ExpiryRunView>> {
    const after = decodeIdCursor(query.cursor);
    const runs = this.db.manager.createQueryBuilder(ExpiryRun, 'x').orderBy('x.id', 'DESC').limit(query.limit + 1);
    if (after !== null) {
      runs.where((where) => `x.id < ${where.subQuery().select('a.id').from(ExpiryRun, 'a').where('a.publicId = :after').getQuery()}`, { after });
    }
    const rows = await runs.getMany();
    const district = caller.district ?? null;
    const totals: TotalRow[] = await this.db.query(RUN_TOTALS, [rows.map((row) => row.id), district]);
    return toPage(rows, query.limit, (row) => [row.publicId], (row) => {
      const byRound = totals
        .filter((total) => total.runId === row.id)
        .map(({ campaignId, voucherTypeId, roundId, vouchers, faceValueFen }) => ({ campaignId, voucherTypeId, roundId, vouchers, faceValueFen: Number(faceValueFen) }));
      return {
        id: row.publicId,
        status: row.finishedAt === null ? 'running' : 'finished',
        cutoff: row.cutoff.toISOString(),
        startedAt: row.startedAt.toISOString(),
        finishedAt: row.finishedAt?.toISOString() ?? null,
        chunks: row.chunkCount,
        chunksDone: row.chunksDone,
        expiredCount: district === null ? row.expiredCount : byRound.reduce((sum, round) => sum + round.vouchers, 0),
        expiredFen: district === null ? row.expiredFen : byRound.reduce((sum, round) => sum + round.faceValueFen, 0),
        byRound,
      };
    });
  }
}
