import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { creditCodeCheckChar, openBankAccount } from '@vouchers/common';
import { parse } from 'csv-parse/sync';
import { EligibilityIndex, eligibilityKeys } from '@vouchers/eligibility';
import { connectRedis, Redis } from '@vouchers/redis';
import { Client } from 'pg';
import request from 'supertest';
import { testConfig } from './support/apps';
import { waitUntilBlockedBy } from './support/database';
import { bootAppOnFreshDatabase, FreshApp } from './support/fresh-database';
import { bearer, tokenFor } from './support/tokens';

const HEADER = 'credit_code,registered_name,shop_name,district,category,address,latitude,longitude,contact_phone,bank_account_name,bank_name,bank_account_number';

/** A valid credit code, different for each n. */
function creditCode(n: number): string {
  const first17 = `91330200MA2C${String(n).padStart(5, '0')}`;
  return first17 + creditCodeCheckChar(first17);
}

/** The same code with one character changed: the check character no longer fits. */
function misspelt(code: string): string {
  return code.slice(0, 10) + (code[10] === '3' ? '4' : '3') + code.slice(11);
}

const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
const csv = (rows: string[][]) => `${[HEADER, ...rows.map((row) => row.map(field).join(','))].join('\n')}\n`;

interface Shop {
  code: string;
  name: string;
  district?: string;
  category?: string;
  address?: string;
  at?: [string, string];
  phone?: string;
  /** [account name, bank, number], or none. */
  bank?: [string, string, string];
}

function row(shop: Shop): string[] {
  const [lat, lng] = shop.at ?? ['', ''];
  const [accountName, bankName, number] = shop.bank ?? ['', '', ''];
  return [shop.code, `${shop.name}有限公司`, shop.name, shop.district ?? 'haishu', shop.category ?? 'dining', shop.address ?? '海曙区中山西路1号', lat, lng, shop.phone ?? '', accountName, bankName, number];
}

const A: Shop = { code: creditCode(1), name: '甬城面馆', at: ['29.8747', '121.5442'], phone: '13800000001', bank: ['宁波甬城面馆有限公司', '中国银行宁波分行', '6222021234567890123'] };
const B: Shop = { code: creditCode(2), name: '江北超市', district: 'jiangbei', category: 'retail' };
const C: Shop = { code: creditCode(3), name: '鼓楼汤团', address: '海曙区, 公园路\n二楼', bank: ['鼓楼汤团店', '宁波银行', '6214 8300 0000 1111'] };
const D: Shop = { code: creditCode(4), name: '慈溪饭店', district: 'cixi', bank: ['慈溪饭店', '农业银行', '6228480000000004444'] };

/** Line numbers count the header as line 1; C's quoted address spans lines 8 and 9; line 12 is blank. */
const MIXED = [
  HEADER,
  row(A), // 2
  row(B), // 3
  row({ ...A, name: '甬城面馆二店' }), // 4: A's code again
  row({ code: misspelt(creditCode(5)), name: '错码店' }), // 5
  row({ code: creditCode(6), name: '浦东店', district: 'pudong' }), // 6
  row({ code: creditCode(7), name: '店'.repeat(201) }), // 7
  row(C), // 8-9
  row({ code: creditCode(8), name: '座机店', phone: '057487654321' }), // 10
  row(D), // 11
  [''], // 12
  row({ code: creditCode(9), name: '短号店', bank: ['短号店', '中国银行', '1234567'] }), // 13
  row({ code: creditCode(10), name: '半坐标店', at: ['29.87', ''] }), // 14
  row({ code: creditCode(11), name: '赌场', category: 'casino' }), // 15
]
  .map((cells) => (cells === HEADER ? HEADER : (cells as string[]).map(field).join(',')))
  .join('\r\n');

const MIXED_ERRORS = [
  { line: 4, creditCode: A.code, code: 'DUPLICATE_IN_FILE' },
  { line: 5, creditCode: misspelt(creditCode(5)), code: 'CREDIT_CODE_INVALID' },
  { line: 6, creditCode: creditCode(6), code: 'UNKNOWN_DISTRICT' },
  { line: 7, creditCode: creditCode(7), code: 'FIELD_TOO_LONG' },
  { line: 10, creditCode: creditCode(8), code: 'BAD_PHONE' },
  { line: 13, creditCode: creditCode(9), code: 'BAD_ACCOUNT_NUMBER' },
  { line: 14, creditCode: creditCode(10), code: 'BAD_COORDINATES' },
  { line: 15, creditCode: creditCode(11), code: 'UNKNOWN_CATEGORY' },
];

/** A merchant's own change of bank account, pending review, as its admin's request leaves it. */
const askForAccountChange = (client: Client, creditCode: string) =>
  client.query(
    `INSERT INTO merchant_bank_account_changes (public_id, merchant_id, bank_account_name, bank_name, bank_account_cipher, bank_account_masked, requested_by)
     SELECT gen_random_uuid(), id, '甬城面馆新户', '宁波银行', 'sealed elsewhere', '6214 **** **** 7777', 'merchant admin' FROM merchants WHERE credit_code = $1`,
    [creditCode],
  );

describe('merchant import and export', () => {
  let fresh: FreshApp;
  let app: NestFastifyApplication;
  let db: Client;
  let redis: Redis;
  const key = testConfig().bankAccountKey;
  const official = bearer(tokenFor({ role: Role.CommerceOfficial }));
  const upload = (body: string | Buffer, headers = official) =>
    request(app.getHttpServer()).post('/v1/merchants/import').set(headers).set('content-type', 'text/csv; charset=utf-8').send(body);
  const download = (headers = official) => request(app.getHttpServer()).get('/v1/merchants/export').set(headers);
  const merchants = async () =>
    (await db.query(`SELECT credit_code, public_id, shop_name, district, category, status, address, bank_account_cipher, bank_account_masked, updated_at FROM merchants ORDER BY id`)).rows;
  const merchant = async (code: string) => (await merchants()).find((m) => m.credit_code === code);
  const audits = async () => (await db.query(`SELECT actor_role, detail FROM audit_log WHERE action = 'merchant.import' ORDER BY id`)).rows;
  const indexed = (publicId: string) => redis.hgetall(`${process.env.REDIS_KEY_PREFIX}elig:{m:${publicId}}`);

  beforeAll(async () => {
    fresh = await bootAppOnFreshDatabase('merchant');
    ({ app, db } = fresh);
    redis = connectRedis(process.env.REDIS_URL as string);
  });

  afterAll(async () => {
    redis.disconnect();
    await fresh.close();
  });

  it('loads the good rows of a mixed file and reports every bad one by line', async () => {
    const response = await upload(MIXED).expect(200);
    expect(response.body).toEqual({
      rows: 12,
      accepted: 4,
      updated: 0,
      unchanged: 0,
      rejected: 8,
      errors: MIXED_ERRORS.map((error) => ({ ...error, message: expect.any(String) })),
    });
    const stored = await merchants();
    expect(stored.map((m) => m.credit_code).sort()).toEqual([A.code, B.code, C.code, D.code].sort());
    expect(stored.every((m) => m.status === 'approved')).toBe(true);
    expect((await merchant(C.code)).address).toBe('海曙区, 公园路 二楼');
    const a = await merchant(A.code);
    expect(a.bank_account_cipher).not.toContain('6222021234567890123');
    expect(openBankAccount(a.bank_account_cipher, key)).toBe('6222021234567890123');
    expect(a.bank_account_masked).toBe('6222 **** **** 0123');
    expect((await merchant(B.code)).bank_account_cipher).toBeNull();
    expect(openBankAccount((await merchant(C.code)).bank_account_cipher, key)).toBe('6214830000001111');
    expect(await audits()).toEqual([
      { actor_role: 'commerce_official', detail: { rows: 12, accepted: 4, updated: 0, unchanged: 0, rejected: 8, completed: true } },
    ]);
  });

  it('puts the approved merchants in the eligibility index', async () => {
    for (const shop of [A, B, C, D]) {
      const stored = await merchant(shop.code);
      expect(await indexed(stored.public_id)).toEqual({ status: 'approved', district: shop.district ?? 'haishu', category: shop.category ?? 'dining' });
    }
  });

  it('changes nothing when the same file comes again', async () => {
    const before = await merchants();
    const response = await upload(MIXED).expect(200);
    expect(response.body).toMatchObject({ rows: 12, accepted: 0, updated: 0, unchanged: 4, rejected: 8 });
    expect(await merchants()).toEqual(before);
  });

  it('updates changed fields and leaves the status alone', async () => {
    const d = await merchant(D.code);
    await db.query(`UPDATE merchants SET status = 'suspended' WHERE credit_code = $1`, [D.code]);
    await redis.hset(`${process.env.REDIS_KEY_PREFIX}elig:{m:${d.public_id}}`, 'status', 'suspended');
    const before = await merchants();
    const changed = csv([
      row({ ...A, bank: ['宁波甬城面馆有限公司', '中国银行宁波分行', '6222029999999990123'] }),
      row({ ...B, name: '江北大超市', category: 'supermarket' }),
      row(C),
      row({ ...D, category: 'night_economy' }),
    ]);
    const response = await upload(changed).expect(200);
    expect(response.body).toEqual({ rows: 4, accepted: 0, updated: 3, unchanged: 1, rejected: 0, errors: [] });
    const after = await merchants();
    const was = (code: string) => before.find((m) => m.credit_code === code);
    const now = (code: string) => after.find((m) => m.credit_code === code);
    expect(openBankAccount(now(A.code).bank_account_cipher, key)).toBe('6222029999999990123');
    expect(now(A.code).bank_account_masked).toBe('6222 **** **** 0123');
    expect(now(B.code).shop_name).toBe('江北大超市');
    expect(now(C.code)).toEqual(was(C.code));
    expect(now(D.code)).toMatchObject({ status: 'suspended', category: 'night_economy' });
    for (const code of [A.code, B.code, D.code]) expect(now(code).updated_at.getTime()).toBeGreaterThan(was(code).updated_at.getTime());
    expect(await indexed(d.public_id)).toEqual({ status: 'suspended', district: 'cixi', category: 'night_economy' });
    expect(await indexed(now(B.code).public_id)).toEqual({ status: 'approved', district: 'jiangbei', category: 'supermarket' });
  });

  it('keeps the bank account on file when a row leaves the bank cells blank', async () => {
    const before = await merchant(A.code);
    expect(before.bank_account_cipher).not.toBeNull();
    const response = await upload(csv([row({ ...A, name: '甬城老面馆', bank: undefined })])).expect(200);
    expect(response.body).toMatchObject({ rows: 1, updated: 1, rejected: 0 });
    const after = await merchant(A.code);
    expect(after.shop_name).toBe('甬城老面馆');
    expect([after.bank_account_cipher, after.bank_account_masked]).toEqual([before.bank_account_cipher, before.bank_account_masked]);
    const [{ name, bank }] = (await db.query('SELECT bank_account_name AS name, bank_name AS bank FROM merchants WHERE credit_code = $1', [A.code])).rows;
    expect([name, bank]).toEqual(['宁波甬城面馆有限公司', '中国银行宁波分行']);
    // Blank again with nothing else changed: nothing to write.
    expect((await upload(csv([row({ ...A, name: '甬城老面馆', bank: undefined })])).expect(200)).body).toMatchObject({ updated: 0, unchanged: 1 });
  });

  it("refuses a row giving a bank account while the merchant's own change of account awaits review", async () => {
    const before = await merchant(A.code);
    await askForAccountChange(db, A.code);
    try {
      const refused = await upload(csv([row({ ...A, name: '甬城新面馆', bank: ['甬城面馆另一户', '工商银行', '6222020000000005555'] })])).expect(200);
      expect(refused.body).toMatchObject({ rows: 1, updated: 0, rejected: 1, errors: [{ line: 2, creditCode: A.code, code: 'BANK_CHANGE_PENDING', message: expect.any(String) }] });
      expect(await merchant(A.code)).toEqual(before);
      // The account left as it is (blank cells), the rest of the row is taken.
      const kept = await upload(csv([row({ ...A, name: '甬城新面馆', bank: undefined })])).expect(200);
      expect(kept.body).toMatchObject({ updated: 1, rejected: 0 });
      expect(await merchant(A.code)).toMatchObject({ shop_name: '甬城新面馆', bank_account_cipher: before.bank_account_cipher });
    } finally {
      await db.query(`UPDATE merchant_bank_account_changes SET status = 'withdrawn' WHERE status = 'pending'`);
    }
  });

  it('sees a change of account asked for while the import waited for the merchant, and rejects the row', async () => {
    const before = await merchant(A.code);
    // The merchant's request, as the app makes it: the merchant's row locked, the change inserted; not committed yet.
    const requester = new Client({ connectionString: (process.env.DATABASE_URL as string).replace(/\/[^/?]*(\?|$)/, `/${db.database}$1`) });
    await requester.connect();
    try {
      await requester.query('BEGIN');
      await requester.query('SELECT 1 FROM merchants WHERE credit_code = $1 FOR UPDATE', [A.code]);
      await askForAccountChange(requester, A.code);
      const importing = upload(csv([row({ ...A, bank: ['甬城面馆另一户', '工商银行', '6222020000000006666'] })]));
      const settled = importing.then((response) => response);
      await waitUntilBlockedBy(db, requester);
      await requester.query('COMMIT');
      const response = await settled;
      expect(response.body).toMatchObject({ updated: 0, rejected: 1, errors: [{ code: 'BANK_CHANGE_PENDING' }] });
      expect((await merchant(A.code)).bank_account_cipher).toBe(before.bank_account_cipher);
    } finally {
      await requester.end();
      await db.query(`UPDATE merchant_bank_account_changes SET status = 'withdrawn' WHERE status = 'pending'`);
    }
  });

  it('keeps a committed import when the eligibility index cannot be written, and has the index rebuilt', async () => {
    const index = app.get(EligibilityIndex);
    const refused = jest.spyOn(index, 'putMany');
    // The write after the commit fails once, as a Redis blip would (the one before it, of merchants moving, has none to write).
    refused.mockImplementationOnce(async () => undefined).mockRejectedValueOnce(new Error('Connection is closed.'));
    const shop: Shop = { code: creditCode(60), name: '东门小馆' };
    try {
      expect((await upload(csv([row(shop)])).expect(200)).body).toMatchObject({ rows: 1, accepted: 1 });
    } finally {
      refused.mockRestore();
    }
    const written = await merchant(shop.code);
    expect(written.status).toBe('approved');
    // The index is rebuilt from Postgres (EligibilityWatch), the new merchant in it.
    const loadedKey = `${process.env.REDIS_KEY_PREFIX}${eligibilityKeys.loaded}`;
    const deadline = Date.now() + 20_000;
    while (!((await redis.exists(loadedKey)) === 1 && (await indexed(written.public_id)).status === 'approved')) {
      if (Date.now() > deadline) throw new Error('the eligibility index was not rebuilt');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  describe('refuses a malformed file whole, writing nothing', () => {
    const good = csv([row({ code: creditCode(20), name: '新店一' }), row({ code: creditCode(21), name: '新店二' })]);
    const notUtf8 = Buffer.concat([
      Buffer.from(good),
      // '你好' in GBK, as a spreadsheet saves it on a Chinese Windows
      Buffer.from(`${creditCode(22)},`),
      Buffer.from([0xc4, 0xe3, 0xba, 0xc3]),
      Buffer.from(',新店三,haishu,dining,海曙区,,,,,,\n'),
    ]);
    // Rows of the right width (cheap to reject), one more than allowed.
    const tooMany = `${HEADER}\n${'x,,,,,,,,,,,\n'.repeat(200_001)}`;

    it.each([
      ['IMPORT_BAD_HEADER', good.replace('credit_code,registered_name', 'registered_name,credit_code')],
      ['IMPORT_BAD_HEADER', good.replace(',bank_account_number', '')],
      ['IMPORT_EMPTY', ''],
      ['IMPORT_EMPTY', `${HEADER}\n`],
      ['IMPORT_NOT_UTF8', notUtf8],
      ['IMPORT_TOO_LARGE', tooMany],
      ['IMPORT_BAD_CSV', `${good}${creditCode(23)},"unclosed,x\n`],
    ])('%s', async (code, body) => {
      const before = await merchants();
      const auditsBefore = (await audits()).length;
      const response = await upload(body).expect(400);
      expect(response.body.code).toBe(code);
      expect(await merchants()).toEqual(before);
      expect(await audits()).toHaveLength(auditsBefore);
    });

    it('refuses a body that is not text/csv', async () => {
      const response = await request(app.getHttpServer()).post('/v1/merchants/import').set(official).send({ rows: [] }).expect(415);
      expect(response.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('takes CSV on the import route only: elsewhere it is refused, and the app keeps answering', async () => {
      // The raw stream handed to a JSON route's validation once aborted the whole process, for anyone (no token needed).
      const registration = `creditCode,shopName\r\n${creditCode(30)},新店\r\n`;
      for (const [method, url, headers] of [
        ['post', '/v1/merchant-registrations', {}],
        ['patch', '/v1/merchant/me', bearer(tokenFor({ role: Role.MerchantAdmin, merchantId: '01a2502a-0000-7000-8000-000000000000' }))],
      ] as const) {
        const response = await request(app.getHttpServer())[method](url).set(headers).set('content-type', 'text/csv').send(registration).expect(415);
        expect(response.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      }
      expect(await merchant(creditCode(30))).toBeUndefined();
      await request(app.getHttpServer()).get('/health').expect(200);
    });
  });

  it("keeps a district official to their own district's merchants, without telling them what another district holds", async () => {
    const haishu = bearer(tokenFor({ role: Role.CommerceOfficial, district: 'haishu' }));
    const file = csv([
      row({ code: creditCode(30), name: '海曙新店' }),
      row({ code: creditCode(31), name: '慈溪新店', district: 'cixi' }),
      // B exists in jiangbei: a haishu official may not move it into haishu
      row({ ...B, district: 'haishu' }),
      // D as it is, registered in cixi; and a code registered nowhere, said to be in jiangbei
      row(D),
      row({ code: creditCode(32), name: '江北新店', district: 'jiangbei' }),
    ]);
    const response = await upload(file, haishu).expect(200);
    expect(response.body).toMatchObject({ rows: 5, accepted: 1, updated: 0, unchanged: 0, rejected: 4 });
    const errors = response.body.errors as Array<{ line: number; creditCode: string; code: string; message: string }>;
    expect(errors.map((e) => e.line)).toEqual([3, 4, 5, 6]);
    // One answer for every row out of reach, whether or not its code is registered (in another district): nothing leaks.
    expect(new Set(errors.map((e) => JSON.stringify({ code: e.code, message: e.message })))).toEqual(
      new Set([JSON.stringify({ code: 'OUTSIDE_OFFICIAL_DISTRICT', message: 'You cannot import this row: you may import merchants of haishu only' })]),
    );
    for (const error of errors) expect(Object.keys(error).sort()).toEqual(['code', 'creditCode', 'line', 'message']);
    expect(await merchant(creditCode(31))).toBeUndefined();
    expect(await merchant(creditCode(32))).toBeUndefined();
    expect((await merchant(B.code)).district).toBe('jiangbei');
    expect((await merchant(D.code)).district).toBe('cixi');
  });

  it('exports the registry with bank accounts masked, a district official only their district', async () => {
    const response = await download().expect(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const lines = parse(response.text, { bom: true }) as string[][];
    expect(lines[0].join(',')).toBe(HEADER);
    const stored = await merchants();
    expect(lines.slice(1).map((cells) => cells[0])).toEqual(stored.map((m) => m.credit_code));
    for (const number of ['6222021234567890123', '6222029999999990123', '6214830000001111', '6228480000000004444']) {
      expect(response.text).not.toContain(number);
    }
    const accounts = lines.slice(1).map((cells) => cells[11]).filter(Boolean);
    expect(accounts).toHaveLength(3);
    for (const masked of accounts) expect(masked).toMatch(/^\d{4} \*{4} \*{4} \d{4}$/);
    const c = lines.find((cells) => cells[0] === C.code) as string[];
    expect(c.slice(5, 8)).toEqual(['海曙区, 公园路 二楼', '', '']);

    const auditor = await download(bearer(tokenFor({ role: Role.Auditor }))).expect(200);
    expect(auditor.text).toBe(response.text);
    const haishu = await download(bearer(tokenFor({ role: Role.Auditor, district: 'haishu' }))).expect(200);
    const haishuCodes = (parse(haishu.text, { bom: true }) as string[][]).slice(1).map((cells) => cells[0]);
    expect(haishuCodes).toEqual(stored.filter((m) => m.district === 'haishu').map((m) => m.credit_code));
  });

  it('is open to commerce officials only (export: and auditors)', async () => {
    const file = csv([row({ code: creditCode(40), name: '越权店' })]);
    for (const role of [Role.FinanceOfficial, Role.Auditor, Role.Resident, Role.MerchantAdmin]) {
      const token = bearer(tokenFor({ role, ...(role === Role.MerchantAdmin ? { merchantId: (await merchant(A.code)).public_id } : {}) }));
      expect((await upload(file, token)).status).toBe(403);
    }
    for (const role of [Role.FinanceOfficial, Role.Resident]) expect((await download(bearer(tokenFor({ role })))).status).toBe(403);
    expect((await upload(file, {} as typeof official)).status).toBe(401);
    expect(await merchant(creditCode(40))).toBeUndefined();
  });
});
