import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { timestampColumn } from './columns';

/**
 * A commerce or finance official, an auditor, or an account administrator; district null means
 * city-wide. Signs in with a password (argon2id) and TOTP. An account with an activation code
 * outstanding (new, or reset by an administrator) cannot sign in until it is activated.
 */
@Entity('officials')
export class Official {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid', unique: true })
  publicId: string;

  @Column({ type: 'varchar', length: 20, unique: true })
  phone: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'varchar', length: 32 })
  role: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  district: string | null;

  @Column(timestampColumn({ nullable: true }))
  disabledAt: Date | null;

  /** argon2id PHC string; null until the first activation. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  passwordHash: string | null;

  /** The TOTP secret, sealed (sealTotpSecret of @vouchers/officials); while an activation is outstanding, the one being enrolled. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  totpSecret: string | null;

  /** The last TOTP time step accepted: a code of that step or an earlier one is refused (replay). */
  @Column({ type: 'integer', nullable: true })
  totpLastStep: number | null;

  /** Failures on the account since the last success (wrong TOTP codes behind the right password, wrong activation codes, wrong current passwords); the fifth locks it (lockedUntil). */
  @Column({ type: 'smallint', default: 0 })
  failedAttempts: number;

  @Column(timestampColumn({ nullable: true }))
  lockedUntil: Date | null;

  /** SHA-256 of the outstanding activation code; null once activated. */
  @Column({ type: 'char', length: 64, nullable: true })
  activationCodeHash: string | null;

  @Column(timestampColumn({ nullable: true }))
  activationExpiresAt: Date | null;

  /**
   * When the official last signed in (the time of their latest `official.sign_in` or
   * `official.activate` audit entry, written in the same transaction; finishing an activation
   * starts a session, so it is their first sign-in); null: never. Kept on the row, not read from the audit log:
   * no index there serves "latest entry of an action for a target" (audit_log_target_idx has no
   * action or time, so it reads every entry about the account, in every month's partition), and
   * an archived month leaves the log, so the accounts that most need the answer (dormant ones)
   * would be answered wrongly as "never". The sign-in locks and updates this row already
   * (RECORD_SUCCESS sets it in the same statement), and the list reads it in the page's query.
   */
  @Column(timestampColumn({ nullable: true }))
  lastSignInAt: Date | null;

  /** Raised by disabling, a reset, or a change of role or district: older access tokens are refused. */
  @Column({ type: 'integer', default: 0 })
  tokenVersion: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
