// The audit trail page's rules (pages/AuditPage.vue), kept pure for the unit spec: which
// actions and subjects it has words for, the filters as the API takes them (GET
// /v1/audit/entries: every filter ANDed, a day range as Beijing days), and where an entry's
// subject can be opened in the console.

/** One entry as GET /v1/audit/entries answers it (apps/settlement/src/audit/audit-entry.view.ts). */
export interface AuditEntry {
  id: string;
  at: string;
  actorId: string;
  /** Who acted in words: an official's name, or a merchant staff member's name, masked number and shop (张三 138****0001（海曙超市）); null for the workers and commands. */
  actorName: string | null;
  actorRole: string;
  action: string;
  targetType: string;
  targetId: string;
  /** The subject in words: an official's name, a staff member's name, masked number and shop, a merchant's shop name; else null. */
  targetName: string | null;
  detail: Record<string, unknown>;
  requestId: string | null;
}

/**
 * The actions the platform records (each recordAudit call's action), in the order the chooser
 * offers them: messages.ts has words for each under audit.actions (see actionKey). An action
 * not listed is shown as recorded.
 */
export const KNOWN_ACTIONS = [
  'campaign.create',
  'campaign.transition',
  'pool_return.recorded',
  'lottery.public_value.propose',
  'lottery.public_value.confirm',
  'lottery.draw',
  'merchant.register',
  'merchant.update',
  'merchant.approved',
  'merchant.rejected',
  'merchant.suspended',
  'merchant.import',
  'merchant.export',
  'merchant.staff_added',
  'merchant.staff_disabled',
  'merchant.staff_enabled',
  'merchant.bank_account_change.requested',
  'merchant.bank_account_change.withdrawn',
  'merchant.bank_account_change.approved',
  'merchant.bank_account_change.rejected',
  'settlement_batch.start',
  'settlement_batch.built',
  'settlement_line.hold',
  'settlement_batch.submit',
  'settlement_batch.approve',
  'settlement_batch.reopen',
  'settlement_batch.payout_file',
  'settlement_batch.bank_results',
  'voucher_expiry.finished',
  'figures.targets.set',
  'official.create',
  'official.change',
  'official.disable',
  'official.enable',
  'official.reset',
  'official.activate',
  'official.sign_in',
  'official.password_change',
  'resident.phone_change',
  'resident.lookup_by_official',
  'resident.phone_change_by_official',
  'resident.close',
  'resident.reopen',
  'audit.export',
  'partition.archive',
] as const;

/** Families of actions, each a prefix ending with a dot: the API then selects every action under it. */
export const ACTION_FAMILIES = [
  'campaign.',
  'lottery.',
  'merchant.',
  'merchant.bank_account_change.',
  'settlement_batch.',
  'official.',
  'resident.',
  'audit.',
] as const;

/** The kinds of subject the log records (targetType). */
export const TARGET_TYPES = [
  'campaign',
  'round',
  'merchant',
  'merchant_staff',
  'merchant_registry',
  'settlement_batch',
  'official',
  'resident',
  'id_number',
  'district_targets',
  'expiry_run',
  'audit_log',
  'partition',
] as const;

/** The roles an entry can name (actorRole): the officials', the merchants', the residents' (their own number change), and the platform's own programs. */
export const ACTOR_ROLES = ['commerce_official', 'finance_official', 'auditor', 'official_admin', 'merchant_admin', 'merchant_staff', 'resident', 'system', 'operator'] as const;

/** The platform's own programs, by the actor id they record (no official's account, so no name): their words under audit.programs. */
const PROGRAMS: Readonly<Record<string, string>> = { 'settlement-worker': 'settlementWorker', 'issuance-worker': 'issuanceWorker', 'officials:add': 'officialsAdd' };

export function programKey(actorId: string): string | null {
  return Object.hasOwn(PROGRAMS, actorId) ? `audit.programs.${PROGRAMS[actorId]}` : null;
}

/** vue-i18n reads dots in a key as nesting: an action's words are kept under its dots made underscores. */
export function actionKey(action: string): string {
  return `audit.actions.${action.replace(/\./g, '_')}`;
}

export function familyKey(prefix: string): string {
  return `audit.families.${prefix.slice(0, -1).replace(/\./g, '_')}`;
}

/** What the filter form holds: text as typed, days as the date picker gives them (YYYY-MM-DD, Beijing). */
export interface AuditFilters {
  action: string;
  actorId: string;
  targetType: string;
  targetId: string;
  days: [string, string] | null;
}

export const NO_FILTERS: AuditFilters = { action: '', actorId: '', targetType: '', targetId: '', days: null };

/** The filters as the API takes them; undefined leaves a filter out. */
export interface AuditQuery {
  action?: string;
  actorId?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
}

/** What the API accepts (apps/settlement/src/audit/audit-trail.query.ts): checked here so a typo is said beside the form, not refused as a 400. */
const ACTION = /^[a-z0-9_.]{1,64}$/;
const LOGGED_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export type FilterProblem = 'action' | 'actorId' | 'targetId' | 'days';

/** The day after a date (YYYY-MM-DD), by the calendar. */
export function dayAfter(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, date + 1)).toISOString().slice(0, 10);
}

/**
 * The filters as a query, or the first field that cannot be sent. A day range is whole Beijing
 * days: from the first day's midnight (inclusive) to the midnight after the last (exclusive,
 * as the API's `to` is). A subject's id needs its kind (the API refuses it alone).
 */
export function auditQuery(filters: AuditFilters): { query: AuditQuery } | { problem: FilterProblem } {
  const action = filters.action.trim().toLowerCase();
  const actorId = filters.actorId.trim();
  const targetId = filters.targetId.trim();
  if (action && !ACTION.test(action)) return { problem: 'action' };
  if (actorId && !LOGGED_ID.test(actorId)) return { problem: 'actorId' };
  if (targetId && (!filters.targetType || !LOGGED_ID.test(targetId))) return { problem: 'targetId' };
  const query: AuditQuery = {};
  if (action) query.action = action;
  if (actorId) query.actorId = actorId;
  if (filters.targetType) query.targetType = filters.targetType;
  if (targetId) query.targetId = targetId;
  if (filters.days) {
    const [first, last] = filters.days;
    if (!DAY.test(first) || !DAY.test(last) || first > last) return { problem: 'days' };
    query.from = `${first}T00:00:00+08:00`;
    query.to = `${dayAfter(last)}T00:00:00+08:00`;
  }
  return { query };
}

/** The filters kept in the page's address (so a link, a reload or the way back keeps them), and read back. */
export function filtersToRoute(filters: AuditFilters): Record<string, string> {
  const route: Record<string, string> = {};
  for (const key of ['action', 'actorId', 'targetType', 'targetId'] as const) if (filters[key].trim()) route[key] = filters[key].trim();
  if (filters.days) [route.from, route.to] = filters.days;
  return route;
}

export function filtersFromRoute(route: Record<string, unknown>): AuditFilters {
  const text = (key: string) => (typeof route[key] === 'string' ? (route[key] as string) : '');
  const [from, to] = [text('from'), text('to')];
  return {
    action: text('action'),
    actorId: text('actorId'),
    targetType: (TARGET_TYPES as readonly string[]).includes(text('targetType')) ? text('targetType') : '',
    targetId: text('targetId'),
    days: DAY.test(from) && DAY.test(to) ? [from, to] : null,
  };
}

const PUBLIC_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The console address of an entry's subject, when it is a campaign, a merchant or a settlement
 * batch and the official's menu has its page (`pages`, pagesOf): an auditor reads merchants
 * and batches but not campaigns' admin pages. A merchant opens in the merchants page's drawer.
 */
export function targetLink(targetType: string, targetId: string, pages: readonly string[]): string | null {
  if (!PUBLIC_ID.test(targetId)) return null;
  if (targetType === 'campaign' && pages.includes('campaigns')) return `/campaigns/${targetId}`;
  if (targetType === 'settlement_batch' && pages.includes('settlement')) return `/settlement/${targetId}`;
  if (targetType === 'merchant' && pages.includes('merchants')) return `/merchants?merchant=${targetId}`;
  return null;
}
