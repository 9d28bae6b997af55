// The audit trail page's rules (audit-trail.ts): words for every action the platform records
// (the recorders' own action strings are read from the apps' sources, so a new one without
// words fails here), the filters as the API takes them (whole Beijing days, a subject's id only
// with its kind), the address round trip, which subjects link to which console page, and each
// recorded detail's fields in words (audit-detail.ts).
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ACTION_FAMILIES,
  actionKey,
  ACTOR_ROLES,
  auditQuery,
  dayAfter,
  familyKey,
  filtersFromRoute,
  filtersToRoute,
  KNOWN_ACTIONS,
  NO_FILTERS,
  programKey,
  TARGET_TYPES,
  targetLink,
} from './audit-trail';
import { type DetailLine, detailLines } from './audit-detail';
import { messages } from './messages';

const ROOT = join(__dirname, '..', '..', '..', '..');
const ID = '0190a5b2-0000-7000-8000-00000000000a';

/** The message at a dotted key in one locale's tree, if there is one. */
function wordsAt(locale: 'zh-CN' | 'en', key: string): unknown {
  return key.split('.').reduce<unknown>((tree, part) => (tree as Record<string, unknown> | undefined)?.[part], messages[locale]);
}

/** Every literal action a recordAudit call (or a helper of one) names in the apps' and libs' sources. */
function recordedActions(): string[] {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
        const source = readFileSync(path, 'utf8');
        if (!/recordAudit|auditBatch/.test(source)) continue;
        for (const match of source.matchAll(/\b(?:action:\s*|audit\(\s*|auditBatch\([^)]*?,\s*)'([a-z_]+\.[a-z_.]+)'/g)) found.add(match[1]);
        for (const match of source.matchAll(/\? '([a-z_]+\.[a-z_.]+)' : '([a-z_]+\.[a-z_.]+)'/g)) [match[1], match[2]].forEach((action) => found.add(action));
      }
    }
  };
  for (const top of ['apps/issuance/src', 'apps/merchant/src', 'apps/settlement/src', 'libs']) walk(join(ROOT, top));
  return [...found].sort();
}

describe('the audit trail page: words', () => {
  it('has words in both languages for every action, family, subject, role and program it names', () => {
    const keys = [
      ...KNOWN_ACTIONS.map(actionKey),
      ...ACTION_FAMILIES.map(familyKey),
      ...TARGET_TYPES.map((type) => `audit.targets.${type}`),
      ...ACTOR_ROLES.map((role) => `audit.roles.${role}`),
      ...['settlement-worker', 'issuance-worker', 'officials:add'].map((id) => programKey(id) as string),
    ];
    for (const locale of ['zh-CN', 'en'] as const) {
      expect(keys.filter((key) => typeof wordsAt(locale, key) !== 'string')).toEqual([]);
    }
  });

  it('knows every literal action the platform records (the merchant and bank decisions are made of their outcomes)', () => {
    const recorded = recordedActions();
    // The scan finds the recorders at all: a sample of each app's.
    expect(recorded).toEqual(
      expect.arrayContaining(['campaign.transition', 'merchant.staff_added', 'settlement_line.hold', 'settlement_batch.payout_file', 'audit.export', 'lottery.public_value.confirm']),
    );
    expect(recorded.filter((action) => !(KNOWN_ACTIONS as readonly string[]).includes(action))).toEqual([]);
  });

  it('keeps each action’s words under a key of its own (dots made underscores) and leaves unknown actors to their id', () => {
    expect(actionKey('merchant.bank_account_change.approved')).toBe('audit.actions.merchant_bank_account_change_approved');
    expect(new Set(KNOWN_ACTIONS.map(actionKey)).size).toBe(KNOWN_ACTIONS.length);
    expect(familyKey('merchant.bank_account_change.')).toBe('audit.families.merchant_bank_account_change');
    expect(programKey(ID)).toBeNull();
    expect(programKey('toString')).toBeNull();
  });
});

describe('the audit trail page: filters', () => {
  it('sends only the filters given, an action in lower case, and days as whole Beijing days (to exclusive)', () => {
    expect(auditQuery(NO_FILTERS)).toEqual({ query: {} });
    expect(auditQuery({ ...NO_FILTERS, action: ' Merchant. ', actorId: ` ${ID} `, days: ['2026-02-28', '2026-02-28'] })).toEqual({
      query: { action: 'merchant.', actorId: ID, from: '2026-02-28T00:00:00+08:00', to: '2026-03-01T00:00:00+08:00' },
    });
    expect(auditQuery({ ...NO_FILTERS, targetType: 'merchant_registry', targetId: 'haishu' })).toEqual({ query: { targetType: 'merchant_registry', targetId: 'haishu' } });
    expect(auditQuery({ ...NO_FILTERS, targetType: 'campaign' })).toEqual({ query: { targetType: 'campaign' } });
  });

  it('names the field the API would refuse instead of sending it', () => {
    expect(auditQuery({ ...NO_FILTERS, action: 'merchant%' })).toEqual({ problem: 'action' });
    expect(auditQuery({ ...NO_FILTERS, action: 'x'.repeat(65) })).toEqual({ problem: 'action' });
    expect(auditQuery({ ...NO_FILTERS, actorId: 'a b' })).toEqual({ problem: 'actorId' });
    expect(auditQuery({ ...NO_FILTERS, targetId: ID })).toEqual({ problem: 'targetId' });
    expect(auditQuery({ ...NO_FILTERS, targetType: 'merchant', targetId: `${ID}/x` })).toEqual({ problem: 'targetId' });
    expect(auditQuery({ ...NO_FILTERS, days: ['2026-03-02', '2026-03-01'] })).toEqual({ problem: 'days' });
  });

  it('counts days by the calendar: month ends, leap days, year ends', () => {
    expect(['2026-01-31', '2024-02-28', '2024-02-29', '2025-02-28', '2026-12-31'].map(dayAfter)).toEqual(['2026-02-01', '2024-02-29', '2024-03-01', '2025-03-01', '2027-01-01']);
  });

  it('keeps the filters in the address and reads back only what it could have written', () => {
    const filters = { action: 'campaign.transition', actorId: ID, targetType: 'campaign', targetId: ID, days: ['2026-03-01', '2026-03-07'] as [string, string] };
    expect(filtersToRoute(filters)).toEqual({ action: 'campaign.transition', actorId: ID, targetType: 'campaign', targetId: ID, from: '2026-03-01', to: '2026-03-07' });
    expect(filtersFromRoute(filtersToRoute(filters))).toEqual(filters);
    expect(filtersToRoute(NO_FILTERS)).toEqual({});
    expect(filtersFromRoute({ targetType: 'nothing', from: '2026-03-01', action: ['a', 'b'] })).toEqual(NO_FILTERS);
  });
});

describe('the audit trail page: subjects and details', () => {
  it('links a campaign, a batch or a merchant to its page, only when the official’s menu has that page', () => {
    const commerce = ['campaigns', 'merchants', 'figures', 'audit'];
    const auditor = ['audit', 'merchants', 'settlement', 'figures'];
    expect(targetLink('campaign', ID, commerce)).toBe(`/campaigns/${ID}`);
    expect(targetLink('campaign', ID, auditor)).toBeNull();
    expect(targetLink('settlement_batch', ID, auditor)).toBe(`/settlement/${ID}`);
    expect(targetLink('settlement_batch', ID, commerce)).toBeNull();
    expect(targetLink('merchant', ID, auditor)).toBe(`/merchants?merchant=${ID}`);
    // Subjects with no page of their own, and ids that are no public id.
    expect(targetLink('round', ID, commerce)).toBeNull();
    expect(targetLink('merchant_staff', ID, auditor)).toBeNull();
    expect(targetLink('merchant_registry', 'haishu', auditor)).toBeNull();
    expect(targetLink('campaign', '../figures', commerce)).toBeNull();
  });

  it('reads a detail field by field: what changed and why first, statuses of the subject’s kind, money in fen, nested values as JSON, nothing as a dash', () => {
    // As Postgres answers a jsonb: shorter keys first.
    expect(detailLines({ to: 'ended', from: 'draft', totalFen: 123_400, reason: null, other: { a: [1] }, amountFen: 'x' }, 'campaign')).toEqual([
      { key: 'from', label: 'audit.detailKeys.from', value: { kind: 'word', key: 'status.campaign.draft', code: 'draft', withCode: true } },
      { key: 'to', label: 'audit.detailKeys.to', value: { kind: 'word', key: 'status.campaign.ended', code: 'ended', withCode: true } },
      { key: 'reason', label: 'audit.detailKeys.reason', value: { kind: 'none' } },
      { key: 'totalFen', label: 'audit.detailKeys.totalFen', value: { kind: 'fen', fen: 123_400 } },
      { key: 'other', label: 'audit.detailKeys.other', value: { kind: 'json', text: '{\n  "a": [\n    1\n  ]\n}' } },
      { key: 'amountFen', label: 'audit.detailKeys.amountFen', value: { kind: 'text', text: 'x' } },
    ]);
    expect(detailLines({}, 'campaign')).toEqual([]);
    // A subject with no statuses: from and to as recorded; a kind named like Object's own keys is none.
    expect(detailLines({ to: 'x' }, 'constructor')).toEqual([{ key: 'to', label: 'audit.detailKeys.to', value: { kind: 'text', text: 'x' } }]);
  });

  it('reads a change of an official’s account field by field: each changed one from and to, in words; the others as they were', () => {
    const detail = { after: { name: '李四', role: 'finance_official', district: 'haishu' }, before: { name: '李四', role: 'commerce_official', district: null } };
    expect(detailLines(detail, 'official')).toEqual([
      {
        key: 'before/after',
        label: 'audit.detailKeys.changes',
        value: {
          kind: 'groups',
          groups: [
            [
              { key: 'name', label: 'audit.detailKeys.name', value: { kind: 'same', value: { kind: 'text', text: '李四' } } },
              {
                key: 'role',
                label: 'audit.detailKeys.role',
                value: {
                  kind: 'change',
                  before: { kind: 'word', key: 'audit.roles.commerce_official', code: 'commerce_official', withCode: false },
                  after: { kind: 'word', key: 'audit.roles.finance_official', code: 'finance_official', withCode: false },
                },
              },
              { key: 'district', label: 'audit.detailKeys.district', value: { kind: 'change', before: { kind: 'district', code: null }, after: { kind: 'district', code: 'haishu' } } },
            ],
          ],
        },
      },
    ]);
  });

  it('reads a payout account’s change, a merchant’s own change, the export’s filter and districts’ targets in words, and money whose name has the word Fen', () => {
    const account = (masked: string) => ({ bankName: '宁波银行', bankAccountName: '甬城面馆', bankAccountMasked: masked });
    const [change, ...rest] = detailLines({ changeId: ID, from: account('6222 **** 0001'), to: account('6222 **** 0002'), reason: '核对无误', officialDistrict: 'haishu' }, 'merchant');
    expect(change.value.kind === 'groups' && change.value.groups[0].map((field) => [field.key, field.value.kind])).toEqual([
      ['bankName', 'same'],
      ['bankAccountName', 'same'],
      ['bankAccountMasked', 'change'],
    ]);
    expect(rest.map((line) => [line.key, line.value])).toEqual([
      ['reason', { kind: 'text', text: '核对无误' }],
      ['changeId', { kind: 'text', text: ID }],
      ['officialDistrict', { kind: 'district', code: 'haishu' }],
    ]);
    expect(detailLines({ changed: ['address', 'bankAccountMasked'], bankAccountMasked: { from: null, to: '6222 **** 0002' } }, 'merchant').map((line) => line.value)).toEqual([
      { kind: 'list', items: ['address', 'bankAccountMasked'].map((field) => ({ kind: 'word', key: `audit.detailKeys.${field}`, code: field, withCode: false })) },
      { kind: 'change', before: { kind: 'none' }, after: { kind: 'text', text: '6222 **** 0002' } },
    ]);
    const [filter] = detailLines({ filter: { action: 'campaign.transition', from: '2026-03-01T00:00:00+08:00' } }, 'audit_log');
    expect(filter.value).toEqual({
      kind: 'groups',
      groups: [
        [
          { key: 'action', label: 'audit.filterKeys.action', value: { kind: 'word', key: 'audit.actions.campaign_transition', code: 'campaign.transition', withCode: false } },
          { key: 'from', label: 'audit.filterKeys.from', value: { kind: 'time', iso: '2026-03-01T00:00:00+08:00' } },
        ],
      ],
    });
    const [targets] = detailLines({ targets: [{ district: 'haishu', consumptionFen: 150_000_00, redeemed: null }] }, 'district_targets');
    expect(targets.value).toEqual({
      kind: 'groups',
      groups: [
        [
          { key: 'district', label: 'audit.detailKeys.district', value: { kind: 'district', code: 'haishu' } },
          { key: 'consumptionFen', label: 'audit.detailKeys.consumptionFen', value: { kind: 'fen', fen: 150_000_00 } },
          { key: 'redeemed', label: 'audit.detailKeys.redeemed', value: { kind: 'none' } },
        ],
      ],
    });
    // A resident's number change: from and to are the numbers (masked), not statuses.
    expect(detailLines({ from: '138****0001', to: '139****0002', emptyAccountRetired: false }, 'resident').map((line) => [line.label, line.value])).toEqual([
      ['audit.detailKeys.oldPhone', { kind: 'text', text: '138****0001' }],
      ['audit.detailKeys.newPhone', { kind: 'text', text: '139****0002' }],
      ['audit.detailKeys.emptyAccountRetired', { kind: 'yesNo', yes: false }],
    ]);
    expect(detailLines({ budgetFenAfter: 5, cityShareBp: 4250, completed: true, name: '春季券' }, 'campaign').map((line) => [line.label, line.value])).toEqual([
      ['audit.detailKeys.budgetFenAfter', { kind: 'fen', fen: 5 }],
      ['audit.detailKeys.cityShareBp', { kind: 'percent', bp: 4250 }],
      ['audit.detailKeys.completed', { kind: 'yesNo', yes: true }],
      ['audit.detailKeys.campaignName', { kind: 'text', text: '春季券' }],
    ]);
  });

  it('has words in both languages for every field and coded value the platform records (a detail of each action, as its recorder writes it)', () => {
    const money = { totalFen: 1, amountFen: 1 };
    const account = { bankAccountName: 'a', bankName: 'b', bankAccountMasked: 'c' };
    const recorded: Array<[string, Record<string, unknown>]> = [
      ['campaign', { name: 'n', budgetFen: 1, cityShareBp: 1, returnPolicy: 'next_round', cityShareFrom: 'city_setting' }],
      ['campaign', { from: 'draft', to: 'ended', reason: 'r' }],
      ['campaign', { id: ID, source: 'expiry', sourceKey: 'k', campaignId: ID, sourceRoundId: ID, expiryRunId: ID, destination: 'kept', targetRoundId: null, vouchers: 1, valueFen: 1, cityFen: 1, districtFen: 1, budgetFenAfter: 1 }],
      ['campaign', { returnPolicy: 'none', cityShareFrom: 'official', source: 'round_close', destination: 'program_budget' }],
      ['round', { value: 'v' }],
      ['round', { entrants: 1, winners: 1, skipped: 0, publicValue: 'v' }],
      ['merchant', { creditCode: 'c', shopName: 's', district: 'haishu', category: 'dining' }],
      ['merchant', { changed: ['address', 'contactPhone', 'bankAccountName', 'bankName', 'latitude', 'longitude', 'bankAccountMasked'], bankAccountMasked: { from: 'a', to: 'b' } }],
      ['merchant', { from: 'pending', to: 'approved', reason: 'r', officialDistrict: 'haishu' }],
      ['merchant', { changeId: ID, from: account, to: account, requestedBy: ID, reason: 'r', officialDistrict: 'haishu', withdrew: ID }],
      ['merchant_registry', { rows: 1, accepted: 1, updated: 1, unchanged: 1, rejected: 1, completed: true }],
      ['merchant_staff', { merchantId: ID, role: 'merchant_staff' }],
      ['settlement_batch', { to: 'building', businessDate: '2026-03-01' }],
      ['settlement_batch', { to: 'pending_approval', lineCount: 1, ...money }],
      ['settlement_batch', { lineId: ID, reason: 'r', amountFen: 1 }],
      ['settlement_batch', { from: 'approved', to: 'paying', fileName: 'f', lineCount: 1, totalFen: 1, sha256: 's' }],
      ['settlement_batch', { from: 'paying', to: 'paid', rows: 1, paid: 1, failed: 0, unchanged: 0, paidFen: 1, failedFen: 0, sha256: 's' }],
      ['expiry_run', { expiredCount: 1, expiredFen: 1 }],
      ['district_targets', { targets: [{ district: 'haishu', consumptionFen: 1, subsidyFen: 1, redeemed: 1 }] }],
      ['official', { role: 'auditor', district: null }],
      ['official', { before: { name: 'a', role: 'auditor', district: null }, after: { name: 'b', role: 'commerce_official', district: 'haishu' } }],
      ['official', { activationExpiresAt: '2026-03-01T00:00:00Z' }],
      ['official', { address: '127.0.0.1' }],
      ['audit_log', { filter: { action: 'audit.export', actorId: ID, targetType: 'campaign', targetId: ID, from: 'f', to: 't' } }],
      ['partition', { table: 'vouchers', month: '2026-01' }],
      ['resident', { from: '138****0001', to: '139****0002', emptyAccountRetired: true }],
      ['resident', { from: '138****0001', to: '139****0002', emptyAccountRetired: false, reason: '持身份证到服务点办理' }],
      ['resident', { idNumber: '330203********1236', found: true }],
      ['resident', { unusedVouchersGivenUp: 2, verified: true }],
      ['resident', { closedAt: '2026-03-01T00:00:00.000Z', retiredAccount: ID }],
      ['id_number', { idNumber: '330203********1236', found: false }],
      ['resident', { idNumber: '330203********1236', found: false, closedAt: '2026-03-01T00:00:00.000Z' }],
    ];
    const keysOf = (lines: DetailLine[]): string[] =>
      lines.flatMap((line) => {
        const value = line.value;
        const words = (inner: typeof value): string[] =>
          inner.kind === 'word' ? [inner.key] : inner.kind === 'change' ? [...words(inner.before), ...words(inner.after)] : inner.kind === 'same' ? words(inner.value) : inner.kind === 'list' ? inner.items.flatMap(words) : [];
        return [line.label, ...words(value), ...(value.kind === 'groups' ? value.groups.flatMap(keysOf) : [])];
      });
    const keys = recorded.flatMap(([targetType, detail]) => keysOf(detailLines(detail, targetType)));
    for (const locale of ['zh-CN', 'en'] as const) {
      expect(keys.filter((key) => typeof wordsAt(locale, key) !== 'string')).toEqual([]);
    }
  });
});
