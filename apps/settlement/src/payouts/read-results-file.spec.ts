import { AppError } from '@vouchers/common';
import { Readable } from 'node:stream';
import { MAX_RESULTS_BYTES, readResultsFile, readUpload } from './read-results-file';

const A = '0190a1b2-c3d4-4e5f-8a6b-7c8d9e0f1a2b';
const B = '0190a1b2-c3d4-4e5f-8a6b-7c8d9e0f1a2c';
const C = '0190a1b2-c3d4-4e5f-8a6b-7c8d9e0f1a2d';

const read = (text: string | Buffer) => readResultsFile(Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'));

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('reading a bank result file', () => {
  it('reads rows after a BOM and the header, skipping blank lines, by the line they start on', async () => {
    const file = await read(`\ufeffline_id,result,reason\r\n${A.toUpperCase()}, PAID ,\r\n\r\n${B},failed,"账户已销户, 请核实"\n,,\n${C},failed,"two\nlines"\n`);
    expect(file.problems).toEqual([]);
    expect(file.rows).toEqual([
      { line: 2, lineId: A, result: 'paid', reason: null },
      { line: 4, lineId: B, result: 'failed', reason: '账户已销户, 请核实' },
      { line: 6, lineId: C, result: 'failed', reason: 'two\nlines' },
    ]);
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lists each wrong row with its line and keeps the good ones', async () => {
    const file = await read(
      ['line_id,result,reason', `${A},paid,`, `${A},paid,`, 'not-an-id,paid,', `${B},ok,`, `${C},failed, `, `${C},failed`, `${B},failed,${'长'.repeat(201)}`].join('\n'),
    );
    expect(file.rows).toEqual([{ line: 2, lineId: A, result: 'paid', reason: null }]);
    expect(file.problems.map((p) => [p.line, p.code])).toEqual([
      [3, 'DUPLICATE_IN_FILE'],
      [4, 'BAD_LINE_ID'],
      [5, 'BAD_RESULT'],
      [6, 'REASON_REQUIRED'],
      [7, 'WRONG_COLUMN_COUNT'],
      [8, 'DUPLICATE_IN_FILE'],
    ]);
  });

  it('takes a reason of exactly 200 characters, not 201', async () => {
    const ok = await read(`line_id,result,reason\n${A},failed,${'长'.repeat(200)}\n${B},failed,${'长'.repeat(201)}\n`);
    expect(ok.rows).toHaveLength(1);
    expect(ok.problems.map((p) => p.code)).toEqual(['REASON_TOO_LONG']);
  });

  it('refuses a file it cannot read as a whole', async () => {
    expect((await refusal(read(''))).code).toBe('RESULTS_EMPTY');
    expect((await refusal(read('line_id,result,reason\r\n\r\n'))).code).toBe('RESULTS_EMPTY');
    expect((await refusal(read(`line_id,status,reason\n${A},paid,\n`))).code).toBe('RESULTS_BAD_HEADER');
    expect((await refusal(read(Buffer.from([0x6c, 0x69, 0xd5, 0xcb, 0xbb, 0xa7]))))).toMatchObject({ code: 'RESULTS_NOT_UTF8', status: 400 });
    expect((await refusal(read(`line_id,result,reason\n${A},failed,"unclosed\n`))).code).toBe('RESULTS_BAD_CSV');
  });
});

describe('reading the upload', () => {
  it('takes a stream up to the limit, refuses anything else', async () => {
    expect((await readUpload(Readable.from([Buffer.from('a,'), Buffer.from('b')]))).toString()).toBe('a,b');
    expect((await refusal(readUpload({ rows: [] }))).status).toBe(415);
    const big = Readable.from((function* () {
      for (let sent = 0; sent <= MAX_RESULTS_BYTES; sent += 1024 * 1024) yield Buffer.alloc(1024 * 1024, 0x61);
    })());
    expect((await refusal(readUpload(big))).status).toBe(413);
  });
});
