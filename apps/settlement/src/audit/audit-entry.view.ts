import { ApiProperty } from '@nestjs/swagger';
import { MERCHANT_ROLES, Role } from '@vouchers/auth';
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
      "Who acted, in words: an official's name, from their account; a merchant admin's or cashier's name as their admin typed it, then their phone number masked, " +
      "then their merchant's shop name in full-width brackets (张三 138****0001（海曙超市）: a registration without a name makes every admin 管理员). " +
      'Null for the workers and commands, and for an account no longer found. Ids made together share their first characters: the name is what tells them apart',
    example: '张三 138****0001（海曙超市）',
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
    description:
      "The subject in words: an official's name (targetType official), a merchant staff member's name, masked phone number and shop name as for actorName (merchant_staff), " +
      "a merchant's shop name (merchant), a campaign's name (campaign); null for any other subject, and for one no longer found",
    example: '测试小馆',
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

/** The names a page of entries is shown with, by public id, one map a kind (auditNamesOf reads each once for the page). */
export interface AuditNames {
  officials: ReadonlyMap<string, string>;
  /** "name 138****0001（shop）" */
  staff: ReadonlyMap<string, string>;
  /** Shop names. */
  merchants: ReadonlyMap<string, string>;
  /** Campaigns' names. */
  campaigns: ReadonlyMap<string, string>;
}

/** A merchant's admin or cashier acted (their id is their staff row's); every other actor with a public id is an official. */
const isStaffActor = (entry: AuditEntry) => MERCHANT_ROLES.has(entry.actorRole as Role);

/** The subjects named, by targetType (a Map: a recorded type is any string, constructor too). */
const SUBJECT_KINDS: ReadonlyMap<string, keyof AuditNames> = new Map([
  ['official', 'officials'],
  ['merchant_staff', 'staff'],
  ['merchant', 'merchants'],
  ['campaign', 'campaigns'],
]);

/** The ids a page of entries needs names for, by kind: its actors, and its subjects that are officials' accounts, staff members, merchants or campaigns. */
export function namedIdsOf(entries: readonly AuditEntry[]): Record<keyof AuditNames, string[]> {
  const ids: Record<keyof AuditNames, string[]> = { officials: [], staff: [], merchants: [], campaigns: [] };
  for (const entry of entries) {
    (isStaffActor(entry) ? ids.staff : ids.officials).push(entry.actorId);
    const kind = SUBJECT_KINDS.get(entry.targetType);
    if (kind !== undefined) ids[kind].push(entry.targetId);
  }
  return ids;
}

/** `names`: what auditNamesOf read for the entry's page. */
export function auditEntryView(entry: AuditEntry, names: AuditNames): AuditEntryView {
  const subjectKind = SUBJECT_KINDS.get(entry.targetType);
  return {
    id: entry.id,
    at: entry.at.toISOString(),
    actorId: entry.actorId,
    actorName: (isStaffActor(entry) ? names.staff : names.officials).get(entry.actorId) ?? null,
    actorRole: entry.actorRole,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    targetName: subjectKind === undefined ? null : (names[subjectKind].get(entry.targetId) ?? null),
    detail: entry.detail,
    requestId: entry.requestId,
  };
}
