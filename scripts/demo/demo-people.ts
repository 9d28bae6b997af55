import { Role } from '@vouchers/auth';
import { creditCodeCheckChar, maskBankAccount, newPublicId, sealBankAccount } from '@vouchers/common';
import { EntityManager } from 'typeorm';

/** Two of each official role, so four eyes (one starts, another approves) can be walked. */
const OFFICIALS: ReadonlyArray<readonly [phone: string, name: string, role: Role]> = [
  ['13900000001', '市商务局 演示 A', Role.CommerceOfficial],
  ['13900000004', '市商务局 演示 B', Role.CommerceOfficial],
  ['13900000002', '市财政局 演示 A', Role.FinanceOfficial],
  ['13900000005', '市财政局 演示 B', Role.FinanceOfficial],
  ['13900000003', '审计 演示 A', Role.Auditor],
  ['13900000006', '审计 演示 B', Role.Auditor],
];

export interface DemoMerchant {
  shopName: string;
  district: string;
  category: string;
  bankName: string;
  /** Fake, but shaped like a real account number (19 digits). */
  accountNumber: string;
}

export const DEMO_MERCHANTS: readonly DemoMerchant[] = [
  { shopName: '甬城老字号汤团店', district: 'haishu', category: 'dining', bankName: '宁波银行海曙支行', accountNumber: '6223091010000010013' },
  { shopName: '江北湾超市', district: 'jiangbei', category: 'supermarket', bankName: '中国工商银行宁波江北支行', accountNumber: '6222023901000020027' },
  { shopName: '鄞州万达家电', district: 'yinzhou', category: 'home_appliances', bankName: '中国建设银行宁波鄞州支行', accountNumber: '6217003901000030031' },
  { shopName: '北仑港夜市烧烤', district: 'beilun', category: 'night_economy', bankName: '宁波银行北仑支行', accountNumber: '6223091010000040045' },
  { shopName: '慈溪百货', district: 'cixi', category: 'retail', bankName: '中国农业银行慈溪支行', accountNumber: '6228483901000050059' },
];

/** Residents: the one who walks the demo, then those who spent their vouchers on the demo day. */
const RESIDENTS: ReadonlyArray<readonly [phone: string, name: string, idMasked: string]> = [
  ['13800000001', '张三', '330203********0019'],
  ['13800000002', '李四', '330203********0027'],
  ['13800000003', '王五', '330204********0035'],
  ['13800000004', '赵六', '330206********0043'],
  ['13800000005', '孙七', '330282********0051'],
];

export interface DemoPeople {
  commerce: [string, string];
  finance: [string, string];
  auditors: [string, string];
  /** Public ids, in DEMO_MERCHANTS order. */
  merchants: string[];
  /** Public id of each merchant's cashier, in DEMO_MERCHANTS order. */
  cashiers: string[];
  /** The first merchant's admin. */
  admin: string;
  /** The resident who walks the demo. */
  resident: string;
  /** The residents of the demo day. */
  dayResidents: string[];
}

function creditCode(index: number): string {
  const first17 = `91330200MA2D${String(index).padStart(5, '0')}`;
  return `${first17}${creditCodeCheckChar(first17) ?? ''}`;
}

/**
 * Inserts the row unless one of its unique keys is taken, and answers the row's ids either way:
 * the row found by `key` is the one that was there (one statement, one snapshot), so a second
 * seed writes nothing.
 */
async function ensureRow(manager: EntityManager, table: string, row: Record<string, unknown>, key: string[]): Promise<{ id: string; publicId: string }> {
  const columns = Object.keys(row);
  const match = key.map((column) => `${column} = $${columns.indexOf(column) + 1}`).join(' AND ');
  const [found]: Array<{ id: string; publicId: string }> = await manager.query(
    `WITH inserted AS (
       INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})
       ON CONFLICT DO NOTHING RETURNING id, public_id)
     SELECT id, public_id AS "publicId" FROM inserted
     UNION ALL SELECT id, public_id FROM ${table} WHERE ${match}`,
    Object.values(row),
  );
  return found;
}

/**
 * The demo's people. Merchants hold their bank account as onboarding stores it (the number
 * sealed with BANK_ACCOUNT_KEY, and masked), so the payout file can open it; a database seeded
 * before they had one gets it once.
 */
export async function seedPeople(manager: EntityManager, bankAccountKey: string, now: Date): Promise<DemoPeople> {
  const officials: string[] = [];
  for (const [phone, name, role] of OFFICIALS) {
    officials.push((await ensureRow(manager, 'officials', { public_id: newPublicId(), phone, name, role }, ['phone'])).publicId);
  }
  const merchants: string[] = [];
  const cashiers: string[] = [];
  let admin = '';
  for (const [index, merchant] of DEMO_MERCHANTS.entries()) {
    const registeredName = `${merchant.shopName}有限公司`;
    const account = {
      bank_account_name: registeredName,
      bank_name: merchant.bankName,
      bank_account_cipher: sealBankAccount(merchant.accountNumber, bankAccountKey),
      bank_account_masked: maskBankAccount(merchant.accountNumber),
    };
    const row = await ensureRow(
      manager,
      'merchants',
      {
        public_id: newPublicId(),
        credit_code: creditCode(index + 1),
        registered_name: registeredName,
        shop_name: merchant.shopName,
        district: merchant.district,
        category: merchant.category,
        address: `宁波市 演示路 ${index + 1} 号`,
        contact_phone: `1370000000${index + 1}`,
        ...account,
        status: 'approved',
      },
      ['credit_code'],
    );
    await manager.query(
      `UPDATE merchants SET bank_account_name = $2, bank_name = $3, bank_account_cipher = $4, bank_account_masked = $5
        WHERE id = $1 AND bank_account_cipher IS NULL`,
      [row.id, ...Object.values(account)],
    );
    merchants.push(row.publicId);
    const staff = (phone: string, name: string, role: Role) =>
      ensureRow(manager, 'merchant_staff', { public_id: newPublicId(), merchant_id: row.id, phone, name, role }, ['merchant_id', 'phone']);
    if (index === 0) admin = (await staff('13600000001', '店长 演示', Role.MerchantAdmin)).publicId;
    cashiers.push((await staff(index === 0 ? '13600000002' : `136000000${10 + index}`, '收银员 演示', Role.MerchantStaff)).publicId);
  }
  const residents: string[] = [];
  for (const [phone, realName, idMasked] of RESIDENTS) {
    const row = { public_id: newPublicId(), phone, real_name: realName, id_number_masked: idMasked, verified_at: now };
    residents.push((await ensureRow(manager, 'residents', row, ['phone'])).publicId);
  }
  return {
    commerce: [officials[0], officials[1]],
    finance: [officials[2], officials[3]],
    auditors: [officials[4], officials[5]],
    merchants,
    cashiers,
    admin,
    resident: residents[0],
    dayResidents: residents.slice(1),
  };
}
