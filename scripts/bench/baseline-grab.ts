/**
 * The baseline of `npm run bench:grab`: the grab as a team would write it without Redis, a
 * Postgres transaction that decrements a stock row `WHERE remaining > 0` and inserts the
 * claim, behind the same Nest/Fastify stack as the issuance app (same platform module:
 * JWT guard, validation pipe, error filter, logger, metrics).
 */
import 'reflect-metadata';
import { Controller, HttpCode, Inject, Module, Param, Post } from '@nestjs/common';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { AppError, errorCatalogue, newPublicId } from '@vouchers/common';
import { PlatformModule, runHttpApp } from '@vouchers/http';
import { IsUUID } from 'class-validator';
import { DataSource } from 'typeorm';

// The grab's own refusals, as the issuance app answers them (its catalogue is in the app, which a script does not import).
errorCatalogue<'SOLD_OUT' | 'ALREADY_CLAIMED'>('bench baseline', {
  SOLD_OUT: { status: 409, meaning: 'The round is sold out' },
  ALREADY_CLAIMED: { status: 409, meaning: 'Already claimed' },
});

class RoundParams {
  @IsUUID()
  roundId: string;
}

@Controller('v1/baseline')
@Auth(Role.Resident)
class BaselineGrabController {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  @Post('rounds/:roundId/claims')
  @HttpCode(201)
  async claim(@CurrentUser() user: AuthUser, @Param() params: RoundParams): Promise<{ id: string }> {
    const id = newPublicId();
    return this.db.transaction(async (manager) => {
      // TypeORM answers an UPDATE with [rows, affected count], not rows.
      const [taken]: [unknown[], number] = await manager.query(
        `UPDATE bench_stock SET remaining = remaining - 1 WHERE round_public_id = $1 AND remaining > 0 RETURNING remaining`,
        [params.roundId],
      );
      if (taken.length === 0) throw new AppError('SOLD_OUT', 'This round is sold out');
      const inserted: unknown[] = await manager.query(
        `INSERT INTO vouchers (public_id, campaign_id, round_id, resident_id, person_seq, face_value_fen, threshold_fen, claimed_at, expires_at)
         SELECT $1, r.campaign_id, r.id, res.id, 1 /* limit one a person: the unique (campaign, resident, slot) refuses a second */, t.face_value_fen, t.threshold_fen, now(), now() + interval '7 days'
           FROM rounds r JOIN voucher_types t ON t.id = r.voucher_type_id JOIN residents res ON res.public_id = $3
          WHERE r.public_id = $2
         ON CONFLICT DO NOTHING RETURNING id`,
        [id, params.roundId, user.sub],
      );
      // Rolling back gives the decremented stock back.
      if (inserted.length === 0) throw new AppError('ALREADY_CLAIMED', 'Already claimed');
      return { id };
    });
  }
}

@Module({ imports: [PlatformModule.forApp('issuance')], controllers: [BaselineGrabController] })
class BaselineGrabModule {}

runHttpApp(BaselineGrabModule, { name: 'issuance', port: (config) => config.issuancePort });
