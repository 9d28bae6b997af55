// An audit entry's detail as the audit trail page reads it out (components/AuditEntryDetail.vue),
// kept pure for the unit spec: each field named in words (audit.detailKeys in messages.ts) and
// its value as what it is (a status, a role, a district, money in yuan, a time) rather than as
// recorded. The recorders' shapes (every recordAudit call's detail) decide what is known:
//  - a change of an official's account, {before: {name, role, district}, after: {...}}, and a
//    payout account's, {from: {bankAccountName, bankName, bankAccountMasked}, to: {...}}: field
//    by field, each changed one "from X to Y";
//  - one changed value, {bankAccountMasked: {from, to}} (a merchant's own change);
//  - the audit export's filter, and the district targets (a list of districts' figures): their
//    fields in words, a group each;
//  - money in fields whose name has the word Fen (totalFen, budgetFenAfter): integer fen.
// A field the console has no words for is named as recorded; a shape it does not know is JSON.

/** A value as the page says it; the component turns each kind into words (words of its locale). */
export type DetailValue =
  | { kind: 'text'; text: string }
  | { kind: 'none' }
  /** Integer fen, shown in yuan. */
  | { kind: 'fen'; fen: number }
  /** A code with words under `key` in messages.ts (a role, an action, a status…); `withCode` shows the code beside them. */
  | { kind: 'word'; key: string; code: string; withCode: boolean }
  /** A district's code; null is the whole city (an official without a district). */
  | { kind: 'district'; code: string | null }
  | { kind: 'category'; code: string }
  | { kind: 'time'; iso: string }
  | { kind: 'yesNo'; yes: boolean }
  /** Basis points, shown as a percentage. */
  | { kind: 'percent'; bp: number }
  | { kind: 'list'; items: DetailValue[] }
  | { kind: 'change'; before: DetailValue; after: DetailValue }
  /** In a before/after pair: a field the change left as it was. */
  | { kind: 'same'; value: DetailValue }
  /** Fields of a nested object (a filter) or of each object of a list (targets), a group each. */
  | { kind: 'groups'; groups: DetailLine[][] }
  /** Nested past what the page knows: indented JSON. */
  | { kind: 'json'; text: string };

/** One field of a detail: its label's message key (the raw key when there are none) and its value. */
export interface DetailLine {
  key: string;
  label: string;
  value: DetailValue;
}

/** A status in a detail's from/to is a status of the subject's kind (status.<kind>.<value> in messages.ts). */
export const STATUS_KIND_OF_TARGET: Readonly<Record<string, string>> = { campaign: 'campaign', merchant: 'merchant', settlement_batch: 'batch' };

/** Fields read first, in this order: what changed, then why (Postgres keeps a detail's keys in an order of its own). */
const FIRST_FIELDS = ['before', 'after', 'from', 'to', 'reason'];

/** Fields whose value is a code with words under a group of messages.ts. */
const WORDS_OF_CODES: Readonly<Record<string, (code: string) => string>> = {
  role: (code) => `audit.roles.${code}`,
  action: (code) => `audit.actions.${code.replace(/\./g, '_')}`,
  targetType: (code) => `audit.targets.${code}`,
  returnPolicy: (code) => `audit.values.returnPolicy.${code}`,
  destination: (code) => `audit.values.returnPolicy.${code}`,
  cityShareFrom: (code) => `audit.values.cityShareFrom.${code}`,
  source: (code) => `audit.values.returnSource.${code}`,
};

/** Fields holding times; `from` and `to` are times in the audit export's filter only. */
const TIMES = ['activationExpiresAt', 'at', 'closedAt'];

/** Money: fen is a word of the field's name (totalFen, budgetFenAfter; not a word of "Fence"). */
const isFenField = (key: string) => /Fen(?![a-z])/.test(key);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What a field of a detail is, where `key` and its place (the subject's kind, a filter) say. */
interface Place {
  statusKind: string | undefined;
  inFilter: boolean;
}

function valueOf(key: string, value: unknown, place: Place): DetailValue {
  if (key === 'district' || key === 'officialDistrict') return typeof value === 'string' || value === null ? { kind: 'district', code: value } : plain(value);
  if (value === null || value === undefined) return { kind: 'none' };
  if (typeof value === 'string') {
    if (key === 'category') return { kind: 'category', code: value };
    if (TIMES.includes(key) || (place.inFilter && (key === 'from' || key === 'to'))) return { kind: 'time', iso: value };
    if ((key === 'from' || key === 'to') && place.statusKind) return { kind: 'word', key: `status.${place.statusKind}.${value}`, code: value, withCode: true };
    if (Object.hasOwn(WORDS_OF_CODES, key)) return { kind: 'word', key: WORDS_OF_CODES[key](value), code: value, withCode: false };
  }
  if (typeof value === 'number' && Number.isInteger(value)) {
    if (isFenField(key)) return { kind: 'fen', fen: value };
    if (key === 'cityShareBp') return { kind: 'percent', bp: value };
  }
  if (typeof value === 'boolean') return { kind: 'yesNo', yes: value };
  // A merchant's own change: which fields (by their words), and a changed value from and to.
  if (key === 'changed' && Array.isArray(value) && value.every((field) => typeof field === 'string')) {
    return { kind: 'list', items: value.map((field: string) => ({ kind: 'word', key: `audit.detailKeys.${field}`, code: field, withCode: false })) };
  }
  if (isObject(value) && Object.keys(value).length === 2 && 'from' in value && 'to' in value && !isObject(value.from) && !isObject(value.to)) {
    return { kind: 'change', before: valueOf(key, value.from, place), after: valueOf(key, value.to, place) };
  }
  return plain(value);
}

/** A value as recorded: text, or JSON when it is nested. */
function plain(value: unknown): DetailValue {
  if (value === null || value === undefined) return { kind: 'none' };
  if (typeof value === 'object') return { kind: 'json', text: JSON.stringify(value, null, 2) };
  return { kind: 'text', text: String(value) };
}

function line(key: string, value: DetailValue, label = `audit.detailKeys.${key}`): DetailLine {
  return { key, label, value };
}

/** A field whose words depend on the subject: a campaign's name is no person's, an official's address is where they signed in from. */
const LABELS_OF_SUBJECT: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  campaign: { name: 'audit.detailKeys.campaignName' },
  official: { address: 'audit.detailKeys.signInAddress' },
  // A resident's number change: from and to are numbers (masked), not statuses.
  resident: { from: 'audit.detailKeys.oldPhone', to: 'audit.detailKeys.newPhone' },
};

/** The fields of a nested object, a level down (valueOf makes no groups: anything nested further is JSON). */
function fieldsOf(object: Record<string, unknown>, place: Place): DetailLine[] {
  return Object.entries(object).map(([key, value]) => line(key, valueOf(key, value, place)));
}

/** Before and after, field by field, each marked changed or not (the fields of either side, in the order first seen). */
function pairOf(before: Record<string, unknown>, after: Record<string, unknown>, place: Place): DetailValue {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const lines = keys.map((key) => {
    const [was, now] = [valueOf(key, before[key] ?? null, place), valueOf(key, after[key] ?? null, place)];
    return line(key, JSON.stringify(before[key] ?? null) === JSON.stringify(after[key] ?? null) ? { kind: 'same', value: now } : { kind: 'change', before: was, after: now });
  });
  return { kind: 'groups', groups: [lines] };
}

/** An entry's detail, field by field, as the page reads it out; `targetType` is the entry's subject's kind. */
export function detailLines(detail: Record<string, unknown>, targetType: string): DetailLine[] {
  const place: Place = { statusKind: Object.hasOwn(STATUS_KIND_OF_TARGET, targetType) ? STATUS_KIND_OF_TARGET[targetType] : undefined, inFilter: false };
  const fields = { ...(detail ?? {}) };
  const lines: DetailLine[] = [];
  // A change of a whole record (an official's account, a payout account): one line, field by field.
  for (const [was, now] of [['before', 'after'], ['from', 'to']] as const) {
    if (isObject(fields[was]) && isObject(fields[now])) {
      lines.push({ key: `${was}/${now}`, label: 'audit.detailKeys.changes', value: pairOf(fields[was], fields[now], place) });
      delete fields[was];
      delete fields[now];
    }
  }
  const rank = (key: string) => (FIRST_FIELDS.includes(key) ? FIRST_FIELDS.indexOf(key) : FIRST_FIELDS.length);
  for (const [key, value] of Object.entries(fields).sort(([a], [b]) => rank(a) - rank(b))) {
    if (key === 'filter' && isObject(value)) {
      const filter = fieldsOf(value, { statusKind: undefined, inFilter: true }).map((field) => ({ ...field, label: `audit.filterKeys.${field.key}` }));
      lines.push(line(key, { kind: 'groups', groups: [filter] }));
    } else if (Array.isArray(value) && value.length > 0 && value.every(isObject)) {
      lines.push(line(key, { kind: 'groups', groups: value.map((item) => fieldsOf(item, { ...place, statusKind: undefined })) }));
    } else {
      const own = Object.hasOwn(LABELS_OF_SUBJECT, targetType) && Object.hasOwn(LABELS_OF_SUBJECT[targetType], key) ? LABELS_OF_SUBJECT[targetType][key] : undefined;
      lines.push(line(key, valueOf(key, value, place), own));
    }
  }
  return lines;
}
