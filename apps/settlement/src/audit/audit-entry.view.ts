import { ApiProperty } from '@nestjs/swagger';
import { AuditEntry } from '@vouchers/database';

/** One entry of the audit trail, as the log holds it. */
export class AuditEntryView {
  @ApiProperty({ description: "The entry's number in the log: later entries have larger numbers", example: '1042' })
  id: string;

  @ApiProperty({ description: 'When it was recorded (UTC, as every time in an answer)', example: '2026-12-05T02:00:00.123Z' })
  at: string;

  @ApiProperty({ description: 'Who acted: public id of the official or staff member, or settlement-worker' })
  actorId: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      "The official's name, from their account, when the actor is an official; null for anyone else (the settlement worker, a command, a merchant's staff). " +
      'Ids of officials created together share their first characters: the name is what tells them apart',
  })
  actorName: string | null;

  @ApiProperty({ description: 'Their role when they acted (system for the settlement worker)', example: 'commerce_official' })
  actorRole: string;

  @ApiProperty({ example: 'merchant.approve' })
  action: string;

  @ApiProperty({ example: 'merchant' })
  targetType: string;

  @ApiProperty({ description: 'Public id of the subject (a district code or city for the registry)' })
  targetId: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: "The official's name, from their account, when the subject is an official's account (targetType official); null for any other subject",
  })
  targetName: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'What the action recorded (a reason, a new status, totals); bank account numbers only ever masked',
  })
  detail: Record<string, unknown>;

  @ApiProperty({ type: String, nullable: true, description: 'Request id of the action (the X-Request-Id answered), when it came over HTTP' })
  requestId: string | null;
}

/** The ids a page of entries needs officials' names for (officialNames, one read): its actors, and its subjects that are officials' accounts. */
export function namedIdsOf(entries: readonly AuditEntry[]): string[] {
  return entries.flatMap((entry) => (entry.targetType === 'official' ? [entry.actorId, entry.targetId] : [entry.actorId]));
}

/** `names`: officials' names by public id (officialNames of namedIdsOf). */
export function auditEntryView(entry: AuditEntry, names: ReadonlyMap<string, string>): AuditEntryView {
  return {
    id: entry.id,
    at: entry.at.toISOString(),
    actorId: entry.actorId,
    actorName: names.get(entry.actorId) ?? null,
    actorRole: entry.actorRole,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    targetName: entry.targetType === 'official' ? (names.get(entry.targetId) ?? null) : null,
    detail: entry.detail,
    requestId: entry.requestId,
  };
}
