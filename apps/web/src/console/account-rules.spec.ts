// The accounts page's rules (account-rules.ts): it offers only what the officials' API accepts.
import { describe, expect, it } from '@jest/globals';
import {
  actionsOn,
  activationExpired,
  changesOf,
  districtFor,
  dormant,
  looksLikeMobile,
  mayHaveDistrict,
  nameProblem,
  signsOutEverywhere,
  type OfficialAccount,
} from './account-rules';

const ME = '0196b8f2-7c1e-7a3d-9f00-000000000001';
const OTHER = '0196b8f2-7c1e-7a3d-9f00-000000000002';
const haishuCommerce: Pick<OfficialAccount, 'name' | 'role' | 'district'> = { name: '海曙 商务 张', role: 'commerce_official', district: 'haishu' };

describe('which districts a role may have', () => {
  it('lets every role but the administrator be limited to one district', () => {
    expect(['commerce_official', 'finance_official', 'auditor'].every((role) => mayHaveDistrict(role as never))).toBe(true);
    expect(mayHaveDistrict('official_admin')).toBe(false);
  });

  it('sends city-wide (null) for no district, and always for an administrator', () => {
    expect(districtFor('finance_official', 'cixi')).toBe('cixi');
    expect(districtFor('finance_official', '')).toBeNull();
    expect(districtFor('official_admin', 'cixi')).toBeNull();
  });
});

describe('what is offered on an account', () => {
  it('offers everything on another live account, awaiting activation or active', () => {
    const all = { edit: true, changeRole: true, reset: true, disable: true, enable: false };
    expect(actionsOn({ id: OTHER, status: 'active' }, ME)).toEqual(all);
    expect(actionsOn({ id: OTHER, status: 'pending_activation' }, ME)).toEqual(all);
  });

  it('offers only a new name on the administrator’s own account (the API refuses the rest)', () => {
    expect(actionsOn({ id: ME, status: 'active' }, ME)).toEqual({ edit: true, changeRole: false, reset: false, disable: false, enable: false });
  });

  it('offers only enabling it again on a disabled account, and that on no other', () => {
    expect(actionsOn({ id: OTHER, status: 'disabled' }, ME)).toEqual({ edit: false, changeRole: false, reset: false, disable: false, enable: true });
  });
});

describe('an edit', () => {
  it('sends only what changed, the name trimmed', () => {
    expect(changesOf(haishuCommerce, { name: ' 海曙 商务 张 ', role: 'commerce_official', district: 'haishu' })).toEqual({});
    expect(changesOf(haishuCommerce, { name: '海曙 商务 李', role: 'commerce_official', district: 'haishu' })).toEqual({ name: '海曙 商务 李' });
    expect(changesOf(haishuCommerce, { name: '海曙 商务 张', role: 'commerce_official', district: '' })).toEqual({ district: null });
    expect(changesOf(haishuCommerce, { name: '海曙 商务 张', role: 'auditor', district: 'haishu' })).toEqual({ role: 'auditor' });
  });

  it('makes an account city-wide when it becomes an administrator, whatever district the form still holds', () => {
    expect(changesOf(haishuCommerce, { name: '海曙 商务 张', role: 'official_admin', district: 'haishu' })).toEqual({ role: 'official_admin', district: null });
  });

  it('signs the account out everywhere on a new role or district, not on a new name', () => {
    expect(signsOutEverywhere(haishuCommerce, { name: '新名字', role: 'commerce_official', district: 'haishu' })).toBe(false);
    expect(signsOutEverywhere(haishuCommerce, { name: '海曙 商务 张', role: 'commerce_official', district: 'yinzhou' })).toBe(true);
    expect(signsOutEverywhere(haishuCommerce, { name: '海曙 商务 张', role: 'finance_official', district: 'haishu' })).toBe(true);
  });
});

describe('the form’s own checks', () => {
  it('wants a name that is not blank and not over 64 characters', () => {
    expect(nameProblem('  ')).toBe('required');
    expect(nameProblem('宁'.repeat(64))).toBeNull();
    expect(nameProblem('宁'.repeat(65))).toBe('tooLong');
  });

  it('takes a mobile number as people type it', () => {
    expect(looksLikeMobile('13900000011')).toBe(true);
    expect(looksLikeMobile('+86 139-0000-0011')).toBe(true);
    expect(looksLikeMobile('1390000001')).toBe(false);
    expect(looksLikeMobile('12900000011')).toBe(false);
  });
});

describe('an activation code that has run out', () => {
  const NOW = Date.parse('2026-03-01T12:00:00Z');
  it('is told only of an account awaiting activation, after its time', () => {
    expect(activationExpired({ status: 'pending_activation', activationExpiresAt: '2026-03-01T11:59:59Z' }, NOW)).toBe(true);
    expect(activationExpired({ status: 'pending_activation', activationExpiresAt: '2026-03-04T12:00:00Z' }, NOW)).toBe(false);
    expect(activationExpired({ status: 'active', activationExpiresAt: null }, NOW)).toBe(false);
  });
});

describe('which accounts are dormant', () => {
  const now = Date.parse('2026-12-07T08:24:00Z');
  const daysAgo = (days: number) => new Date(now - days * 86_400_000).toISOString();
  const account = (lastSignInAt: string | null, createdAt = daysAgo(400), status: OfficialAccount['status'] = 'active') => ({ status, lastSignInAt, createdAt });

  it('marks an active account whose last sign-in is 90 days old or more', () => {
    expect(dormant(account(daysAgo(89)), now)).toBe(false);
    expect(dormant(account(daysAgo(90)), now)).toBe(true);
    expect(dormant(account(daysAgo(200)), now)).toBe(true);
  });

  it('counts from creation for an account never signed in', () => {
    expect(dormant(account(null, daysAgo(10)), now)).toBe(false);
    expect(dormant(account(null, daysAgo(90)), now)).toBe(true);
  });

  it('leaves alone accounts that cannot sign in: awaiting activation or disabled', () => {
    expect(dormant(account(null, daysAgo(400), 'pending_activation'), now)).toBe(false);
    expect(dormant(account(daysAgo(400), daysAgo(500), 'disabled'), now)).toBe(false);
  });
});
