/**
 * The baseline of `npm run bench:lottery`: the lottery sign-up as a team would write it without
 * a group commit, one `INSERT … ON CONFLICT DO NOTHING` per request (the window checked in the
 * same statement), behind the same Nest/Fastify stack as the issuance app (same platform module:
 * JWT guard, validation pipe, error filter, logger, metrics) and with the round's salt cached
 * as the app caches it. Same route shape and answer as POST /v1/rounds/:roundId/entries.
 */
import 'reflect-metadata';
import { Controller, HttpCode, Inject, Module, Param, Post } from '@nestjs/common';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { AppError, errorCatalogue } from '@vouchers/common';
import { PlatformModule, runHttpApp } from '@vouchers/http';
import { IsUUID } from 'class-validator';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';

/** The entry hash of LOTTERY.md (a script does not import the app): SHA-256(salt hex ‖ resident id in lower case). */
const entryHashOf = (salt: string, residentId: string) => createHash('sha256').update(`${salt}${residentId.toLowerCase()}`).digest('hex');

// The sign-up's own refusals, as the issuance app answers them (its catalogue is in the app, which a script does not import).
errorCatalogue<'REAL_NAME_REQUIRED' | 'SIGNUP_CLOSED' | 'ROUND_NOT_FOUND'>('bench baseline', {
  REAL_NAME_REQUIRED: { status: 403, meaning: 'Verify your real name first' },
  SIGNUP_CLOSED: { status: 409, meaning: 'The round takes no sign-ups' },
  ROUND_NOT_FOUND: { status: 404, meaning: 'No such lottery round' },
});

class RoundParams {
  @IsUUID()
  roundId: string;
}

interface Facts {
  id: string;
  salt: string;
  commitment: string;
}

@Controller('v1/baseline')
@Auth(Role.Resident)
class BaselineSignupController {
  private readonly facts = new Map<string, Facts>();

  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  @Post('rounds/:roundId/entries')
  @HttpCode(200)
  async enter(@CurrentUser() user: AuthUser, @Param() params: RoundParams): Promise<{ roundId: string; entryHash: string; commitment: string }> {
    if (!user.verified) throw new AppError('REAL_NAME_REQUIRED', 'Verify your real name before signing up');
    const round = await this.factsOf(params.roundId);
    const entryHash = entryHashOf(round.salt, user.sub);
    const open: unknown[] = await this.db.query(
      `INSERT INTO lottery_entries (round_id, resident_id, entry_hash)
       SELECT r.id, res.id, $3 FROM rounds r JOIN residents res ON res.public_id = $2
        WHERE r.id = $1 AND r.signup_opens_at <= now() AND now() < r.signup_closes_at
       ON CONFLICT (round_id, resident_id) DO NOTHING RETURNING id`,
      [round.id, user.sub, entryHash],
    );
    // Nothing written is either a sign-up again (the same entry) or a closed round: only the latter is read again.
    if (open.length === 0) {
      const [known]: unknown[] = await this.db.query('SELECT 1 FROM lottery_entries e JOIN residents res ON res.id = e.resident_id WHERE e.round_id = $1 AND res.public_id = $2', [
        round.id,
        user.sub,
      ]);
      if (!known) throw new AppError('SIGNUP_CLOSED', 'Sign-up has closed');
    }
    return { roundId: params.roundId, entryHash, commitment: round.commitment };
  }

  private async factsOf(roundId: string): Promise<Facts> {
    const cached = this.facts.get(roundId);
    if (cached) return cached;
    const [row]: Facts[] = await this.db.query(
      `SELECT r.id, d.salt, d.commitment FROM rounds r JOIN lottery_draws d ON d.round_id = r.id WHERE r.public_id = $1`,
      [roundId],
    );
    if (!row) throw new AppError('ROUND_NOT_FOUND', 'No such round');
    this.facts.set(roundId, row);
    return row;
  }
}

@Module({ imports: [PlatformModule.forApp('issuance')], controllers: [BaselineSignupController] })
class BaselineSignupModule {}

runHttpApp(BaselineSignupModule, { name: 'issuance', port: (config) => config.issuancePort });
