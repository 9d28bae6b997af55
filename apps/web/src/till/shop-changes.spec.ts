// The shop page's forms (shop-changes.ts): what they send, and what they say before sending.
import { describe, expect, it } from '@jest/globals';
import { accountNumberState, bankAccountOutcome, bankAccountRequest, contactChanges, keptTogether, typedDigits } from './shop-changes';

describe('a new bank account, as the shop page asks for it', () => {
  it('says what is wrong with the number as it is typed, as the API would refuse it', () => {
    expect(accountNumberState('')).toBe('empty');
    expect(accountNumberState('6222 0212')).toBe('ok');
    expect(accountNumberState('6222 021')).toBe('typing');
    expect(accountNumberState('6222-0212-3456')).toBe('bad-char');
    expect(accountNumberState('62220212345678９0')).toBe('bad-char');
    expect(accountNumberState('1'.repeat(31))).toBe('too-long');
    expect(accountNumberState(`${'1'.repeat(15)} ${'1'.repeat(15)}`)).toBe('ok');
    expect(typedDigits('6222 0212 3')).toBe(9);
  });

  it('quotes a masked number in a sentence without letting a line break split it', () => {
    expect(keptTogether('6223 **** **** 0013')).toBe('6223\u00a0****\u00a0****\u00a00013');
    expect(keptTogether(null)).toBe('—');
  });

  it('sends the whole account, trimmed, the number as digits', () => {
    expect(bankAccountRequest({ bankAccountName: ' 宁波测试小吃有限公司 ', bankName: '宁波银行海曙支行 ', bankAccountNumber: '6223 0910 1000 9990 018' })).toEqual({
      body: { bankAccountName: '宁波测试小吃有限公司', bankName: '宁波银行海曙支行', bankAccountNumber: '6223091010009990018' },
    });
  });

  it('names the first field missing or wrong, and sends nothing', () => {
    const whole = { bankAccountName: '户名', bankName: '银行', bankAccountNumber: '12345678' };
    expect(bankAccountRequest({ ...whole, bankAccountName: '  ' })).toEqual({ problem: 'bankAccountName' });
    expect(bankAccountRequest({ ...whole, bankName: '' })).toEqual({ problem: 'bankName' });
    expect(bankAccountRequest({ ...whole, bankAccountNumber: '1234567' })).toEqual({ problem: 'bankAccountNumber' });
  });

  it('tells a request held for review from an account changed at once and from the current account asked for again', () => {
    expect(bankAccountOutcome('approved', { pendingBankAccountChange: { id: 'c1' } })).toBe('held');
    expect(bankAccountOutcome('pending', { pendingBankAccountChange: null })).toBe('changed');
    expect(bankAccountOutcome('approved', { pendingBankAccountChange: null })).toBe('same');
  });
});

describe("the shop's address and telephone", () => {
  const current = { address: '海曙区测试路 8 号', contactPhone: '0574-8888 8888' };

  it('sends only what changed, trimmed', () => {
    expect(contactChanges(current, { address: ' 海曙区测试路 9 号 ', contactPhone: '0574-8888 8888' })).toEqual({ body: { address: '海曙区测试路 9 号' } });
    expect(contactChanges(current, { address: current.address, contactPhone: ' 139 0000 0002 ' })).toEqual({ body: { contactPhone: '139 0000 0002' } });
    expect(contactChanges(current, { ...current })).toEqual({ problem: 'nothing' });
  });

  it('refuses a blank address and a telephone the API would refuse, or an emptied one it cannot clear', () => {
    expect(contactChanges(current, { address: '  ', contactPhone: current.contactPhone })).toEqual({ problem: 'address' });
    expect(contactChanges(current, { address: current.address, contactPhone: '0574/8888' })).toEqual({ problem: 'contactPhone' });
    expect(contactChanges(current, { address: current.address, contactPhone: '' })).toEqual({ problem: 'contactPhone' });
    expect(contactChanges({ ...current, contactPhone: null }, { address: '新地址', contactPhone: '' })).toEqual({ body: { address: '新地址' } });
  });
});
