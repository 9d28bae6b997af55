import { AppError } from '@vouchers/common';
import { jsonShapeRefusal, MAX_JSON_DEPTH, MAX_JSON_KEYS } from './body-limits';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('JSON body limits', () => {
  it('passes a body up to the depth limit, refuses one past it', () => {
    expect(jsonShapeRefusal(bytes(nested(MAX_JSON_DEPTH)))).toBeNull();
    const refusal = jsonShapeRefusal(bytes(nested(MAX_JSON_DEPTH + 1)));
    expect(refusal).toBeInstanceOf(AppError);
    expect([refusal?.status, refusal?.code]).toEqual([400, 'BODY_TOO_COMPLEX']);
    expect(jsonShapeRefusal(bytes(`{"phone":${nested(5000)}}`))?.code).toBe('BODY_TOO_COMPLEX');
  });

  it('counts keys over the whole body', () => {
    const keys = (n: number) => `[${Array.from({ length: n }, (_, i) => `{"k${i}":1}`).join(',')}]`;
    expect(jsonShapeRefusal(bytes(keys(MAX_JSON_KEYS)))).toBeNull();
    expect(jsonShapeRefusal(bytes(keys(MAX_JSON_KEYS + 1)))?.code).toBe('BODY_TOO_COMPLEX');
  });

  it('does not count brackets, colons or escaped quotes inside strings', () => {
    const text = `{"note":"${'[{:'.repeat(10_000)} \\" ]]] \\\\","宁波":"${'['.repeat(100)}"}`;
    expect(JSON.parse(text)).toBeTruthy();
    expect(jsonShapeRefusal(bytes(text))).toBeNull();
  });
});
