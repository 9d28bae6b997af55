import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Append-only record of official actions; a trigger refuses UPDATE and DELETE. The indexes
 * serve the audit trail's filters (settlement app, GET /v1/audit/entries), each read newest
 * first by id: by actor, by subject, by action (exact, or a prefix under the C collation), by time.
 * Partitioned by month of `at` (docs/partitions.md): the key holds it.
 */
@Entity('audit_log')
@Index('audit_log_target_idx', ['targetType', 'targetId'])
@Index('audit_log_actor_idx', ['actorId', 'id'])
@Index('audit_log_action_idx', ['action', 'id'])
@Index('audit_log_at_idx', ['at'])
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'audit_log_pkey' })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  actorId: string;

  @Column({ type: 'varchar', length: 32 })
  actorRole: string;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ type: 'varchar', length: 32 })
  targetType: string;

  @Column({ type: 'varchar', length: 64 })
  targetId: string;

  @Column({ type: 'jsonb', default: {} })
  detail: Record<string, unknown>;

  @Column({ type: 'varchar', length: 64, nullable: true })
  requestId: string | null;

  @CreateDateColumn({ type: 'timestamptz', primary: true, primaryKeyConstraintName: 'audit_log_pkey' })
  at: Date;
}
