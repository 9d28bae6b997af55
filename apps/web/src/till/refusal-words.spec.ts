// The till's words for a refusal (refusal-words.ts): a failure that leaves a sale's outcome
// unknown is worded for the sale, the refund or anything else it happened to.
import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../shared/api';
import { messages } from './messages';
import { KNOWN_REFUSALS, refusalOf } from './refusal-words';

const answer = (status: number, code: string) => new ApiError(status, code, 'the API says so');

describe('refusalOf', () => {
  it('says of a sale that it may have been redeemed, and offers the same scan again', () => {
    expect(refusalOf(answer(503, 'SERVICE_UNAVAILABLE'), 'sale')).toEqual({ key: 'refusal.SERVICE_UNAVAILABLE', code: 'SERVICE_UNAVAILABLE', retrySame: true });
    expect(refusalOf(answer(502, 'HTTP_502'), 'sale')).toEqual({ key: 'refusal.UNSURE', code: 'HTTP_502', retrySame: true });
    expect(refusalOf(new Error('offline'), 'sale')).toMatchObject({ key: 'refusal.NETWORK', retrySame: true });
  });

  it('words the same failures for a refund and for anything else without speaking of a sale', () => {
    expect(refusalOf(answer(0, 'TIMEOUT'), 'refund')).toMatchObject({ key: 'refusal.REFUND_UNSURE', retrySame: true });
    expect(refusalOf(answer(500, 'INTERNAL_ERROR'), 'refund')).toMatchObject({ key: 'refusal.REFUND_UNSURE', retrySame: true });
    expect(refusalOf(answer(503, 'SERVICE_UNAVAILABLE'))).toMatchObject({ key: 'refusal.TRY_LATER' });
    expect(refusalOf(new Error('offline'))).toMatchObject({ key: 'refusal.TRY_LATER' });
  });

  it('keeps the words of codes that have their own, wherever they come', () => {
    expect(refusalOf(answer(503, 'SMS_UNAVAILABLE'))).toMatchObject({ key: 'refusal.SMS_UNAVAILABLE' });
    expect(refusalOf(answer(429, 'RATE_LIMITED'))).toMatchObject({ key: 'refusal.RATE_LIMITED', retrySame: true });
    expect(refusalOf(answer(409, 'CODE_REPLAYED'), 'sale')).toEqual({ key: 'refusal.CODE_REPLAYED', code: 'CODE_REPLAYED', retrySame: false });
    expect(refusalOf(answer(418, 'SOMETHING_NEW'))).toMatchObject({ key: 'refusal.OTHER', retrySame: false });
  });

  it('has words in Chinese and English for every code it knows', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const words = messages[locale].refusal as Record<string, string>;
      const missing = KNOWN_REFUSALS.filter((code) => typeof words[code] !== 'string' || words[code].trim() === '');
      expect({ locale, missing }).toEqual({ locale, missing: [] });
    }
  });
});
