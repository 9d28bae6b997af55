// The audit trail page's rules (audit-trail.ts): words for every action the platform records
// (the recorders' own action strings are read from the apps' sources, so a new one without
// words fails here), the filters as the API takes them (whole Beijing days, a subject's id only
// with its kind), the address round trip, and which subjects link to which console page.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ACTION_FAMILIES,
  actionKey,
  ACTOR_ROLES,
  auditQuery,
  dayAfter,
  detailLines,
  familyKey,
  filtersFromRoute,
  filtersToRoute,
  KNOWN_ACTIONS,
  NO_FILTERS,
  programKey,
  TARGET_TYPES,
  targetLink,
} from './audit-trail';
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

  it('reads a detail field by field: what changed and why first, money fields marked, nested values as JSON, nothing as a dash', () => {
    // As Postgres answers a jsonb: shorter keys first.
    expect(detailLines({ to: 'ended', from: 'draft', totalFen: 123_400, reason: null, filter: { actorId: ID }, amountFen: 'x' })).toEqual([
      { key: 'from', text: 'draft', fen: null, block: false },
      { key: 'to', text: 'ended', fen: null, block: false },
      { key: 'reason', text: '—', fen: null, block: false },
      { key: 'totalFen', text: '123400', fen: 123_400, block: false },
      { key: 'filter', text: `{\n  "actorId": "${ID}"\n}`, fen: null, block: true },
      { key: 'amountFen', text: 'x', fen: null, block: false },
    ]);
    expect(detailLines({})).toEqual([]);
  });
});
