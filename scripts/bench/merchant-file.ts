/** The bench's import file: valid merchants across the city with about 1% bad rows, counted exactly. */
import { CATEGORIES, creditCodeCheckChar, DISTRICT_CODES } from '@vouchers/common';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';

const HEADER = 'credit_code,registered_name,shop_name,district,category,address,latitude,longitude,contact_phone,bank_account_name,bank_name,bank_account_number';
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const SHOP_WORDS = ['甬城', '鼓楼', '天一', '三江', '月湖', '东钱湖', '老外滩', '南塘', '慈城', '梁祝'];
const TRADES = ['面馆', '汤团店', '超市', '电器行', '书店', '体育用品', '夜宵', '茶馆', '海鲜楼', '便利店'];
const BANKS = ['中国银行宁波分行', '工商银行宁波分行', '宁波银行', '农业银行宁波分行', '建设银行宁波分行'];

/** Kinds of bad row, taken in turn, each rejected with its own code. */
export const BAD_KINDS = [
  'CREDIT_CODE_INVALID',
  'UNKNOWN_DISTRICT',
  'FIELD_TOO_LONG',
  'BAD_PHONE',
  'DUPLICATE_IN_FILE',
  'BAD_ACCOUNT_NUMBER',
  'BAD_COORDINATES',
  'UNKNOWN_CATEGORY',
] as const;

/** The n-th valid credit code: 17 characters counted in the code's own alphabet, then the check character. */
export function creditCode(n: number): string {
  let body = '';
  for (let rest = n; body.length < 9; rest = Math.floor(rest / ALPHABET.length)) body = ALPHABET[rest % ALPHABET.length] + body;
  const first17 = `91330200${body}`;
  return first17 + creditCodeCheckChar(first17);
}

function misspelt(code: string): string {
  const i = 12;
  return code.slice(0, i) + (code[i] === 'A' ? 'B' : 'A') + code.slice(i + 1);
}

const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export interface GeneratedFile {
  rows: number;
  badRows: number;
  badByKind: Record<string, number>;
}

/** Writes `rows` data rows to `path`; every `badEvery`-th row is bad, of the next kind in turn. */
export async function writeMerchantFile(path: string, rows: number, badEvery = 100): Promise<GeneratedFile> {
  const out = createWriteStream(path);
  const badByKind: Record<string, number> = {};
  let chunk = `${HEADER}\r\n`;
  let lastGood = -1;
  for (let n = 0; n < rows; n++) {
    const district = DISTRICT_CODES[n % DISTRICT_CODES.length];
    const category = CATEGORIES[Math.floor(n / DISTRICT_CODES.length) % CATEGORIES.length];
    const shop = `${SHOP_WORDS[n % SHOP_WORDS.length]}${TRADES[Math.floor(n / 7) % TRADES.length]}${n}号店`;
    const cells = [
      creditCode(n),
      `宁波${shop}有限公司`,
      shop,
      district,
      category,
      `宁波市${district}某某路${(n % 997) + 1}号`,
      (29.6 + (n % 5000) / 10000).toFixed(6),
      (121.3 + (n % 7000) / 10000).toFixed(6),
      `13${String(800_000_000 + n).padStart(9, '0')}`,
      `宁波${shop}有限公司`,
      BANKS[n % BANKS.length],
      `6222${String(n).padStart(15, '0')}`,
    ];
    const bad = n % badEvery === badEvery - 1 ? BAD_KINDS[Math.floor(n / badEvery) % BAD_KINDS.length] : null;
    if (bad === 'CREDIT_CODE_INVALID') cells[0] = misspelt(cells[0]);
    if (bad === 'UNKNOWN_DISTRICT') cells[3] = 'pudong';
    if (bad === 'FIELD_TOO_LONG') cells[2] = '店'.repeat(201);
    if (bad === 'BAD_PHONE') cells[8] = '057487654321';
    if (bad === 'DUPLICATE_IN_FILE') cells[0] = creditCode(lastGood);
    if (bad === 'BAD_ACCOUNT_NUMBER') cells[11] = '1234';
    if (bad === 'BAD_COORDINATES') cells[7] = '';
    if (bad === 'UNKNOWN_CATEGORY') cells[4] = 'casino';
    if (bad) badByKind[bad] = (badByKind[bad] ?? 0) + 1;
    else lastGood = n;
    chunk += `${cells.map(field).join(',')}\r\n`;
    if (chunk.length > 64 * 1024) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await finished(out);
  return { rows, badRows: Object.values(badByKind).reduce((a, b) => a + b, 0), badByKind };
}
