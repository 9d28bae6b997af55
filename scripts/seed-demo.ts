/**
 * Loads a small demo dataset (idempotent: a second run changes nothing) and prints
 * sign-in tokens for trying the APIs from /docs. Runs migrations first, under the lock.
 *   node dist/scripts/seed-demo.js
 */
import 'reflect-metadata';
import { JwtService } from '@nestjs/jwt';
import { payloadFromClaims, Role } from '@vouchers/auth';
import { creditCodeCheckChar, newPublicId } from '@vouchers/common';
import { loadConfig } from '@vouchers/config';
import { Campaign, createDataSource, runMigrationsLocked, VoucherType } from '@vouchers/database';
import { DataSource, EntityManager } from 'typeorm';

const DEMO_CAMPAIGN = '宁波消费券 · 餐饮零售 (demo)';

const MERCHANTS: Array<[string, string, string]> = [
  ['甬城老字号汤团店', 'haishu', 'dining'],
  ['江北湾超市', 'jiangbei', 'supermarket'],
  ['鄞州万达家电', 'yinzhou', 'home_appliances'],
  ['北仑港夜市烧烤', 'beilun', 'night_economy'],
  ['慈溪百货', 'cixi', 'retail'],
];

function creditCode(index: number): string {
  const first17 = `91330200MA2D${String(index).padStart(5, '0')}`;
  return `${first17}${creditCodeCheckChar(first17) ?? ''}`;
}

async function upsertReturningPublicId(manager: EntityManager, sql: string, params: unknown[]): Promise<string> {
  const rows: Array<{ public_id: string }> = await manager.query(sql, params);
  return rows[0].public_id;
}

async function seedPeople(manager: EntityManager) {
  const official = (phone: string, name: string, role: Role) =>
    upsertReturningPublicId(
      manager,
      `INSERT INTO officials (public_id, phone, name, role) VALUES ($1, $2, $3, $4)
       ON CONFLICT (phone) DO UPDATE SET name = officials.name RETURNING public_id`,
      [newPublicId(), phone, name, role],
    );
  const commerce = await official('13900000001', '市商务局 演示', Role.CommerceOfficial);
  const finance = await official('13900000002', '市财政局 演示', Role.FinanceOfficial);
  const auditor = await official('13900000003', '审计 演示', Role.Auditor);

  const merchantIds: string[] = [];
  for (const [index, [shopName, district, category]] of MERCHANTS.entries()) {
    merchantIds.push(
      await upsertReturningPublicId(
        manager,
        `INSERT INTO merchants (public_id, credit_code, registered_name, shop_name, district, category, address,
                                contact_phone, bank_account_name, bank_name, bank_account_masked, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $3, '宁波银行', $9, 'approved')
         ON CONFLICT (credit_code) DO UPDATE SET shop_name = merchants.shop_name RETURNING public_id`,
        [newPublicId(), creditCode(index + 1), `${shopName}有限公司`, shopName, district, category, `宁波市 演示路 ${index + 1} 号`,
          `1370000000${index + 1}`, `6222 **** **** ${1000 + index}`],
      ),
    );
  }
  const staff = (role: Role, phone: string, name: string) =>
    upsertReturningPublicId(
      manager,
      `INSERT INTO merchant_staff (public_id, merchant_id, phone, name, role)
       SELECT $1, id, $3, $4, $5 FROM merchants WHERE public_id = $2
       ON CONFLICT (merchant_id, phone) DO UPDATE SET name = merchant_staff.name RETURNING public_id`,
      [newPublicId(), merchantIds[0], phone, name, role],
    );
  const admin = await staff(Role.MerchantAdmin, '13600000001', '店长 演示');
  const cashier = await staff(Role.MerchantStaff, '13600000002', '收银员 演示');
  const resident = await upsertReturningPublicId(
    manager,
    `INSERT INTO residents (public_id, phone, real_name, id_number_masked, verified_at)
     VALUES ($1, '13800000001', '张三', '330203********0019', now())
     ON CONFLICT (phone) DO UPDATE SET phone = residents.phone RETURNING public_id`,
    [newPublicId()],
  );
  return { commerce, finance, auditor, merchant: merchantIds[0], admin, cashier, resident };
}

async function seedCampaign(manager: EntityManager): Promise<void> {
  const existing: unknown[] = await manager.query('SELECT 1 FROM campaigns WHERE name = $1', [DEMO_CAMPAIGN]);
  if (existing.length > 0) return;
  const [campaign]: Array<Pick<Campaign, 'id'>> = await manager.query(
    `INSERT INTO campaigns (public_id, name, categories, districts, budget_fen, city_share_bp, validity_days,
                            per_person_limit, returns_to_pool, status)
     VALUES ($1, $2, $3, '{}', 100000000, 5000, 7, 2, true, 'active') RETURNING id`,
    [newPublicId(), DEMO_CAMPAIGN, ['dining', 'retail', 'supermarket', 'night_economy']],
  );
  // 满40减10 and 满100减30; one round open now, one next week.
  for (const [name, faceValueFen, thresholdFen, quantity] of [
    ['满40减10', 1000, 4000, 2000],
    ['满100减30', 3000, 10000, 1000],
  ] as const) {
    const [type]: Array<Pick<VoucherType, 'id'>> = await manager.query(
      `INSERT INTO voucher_types (public_id, campaign_id, name, face_value_fen, threshold_fen)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [newPublicId(), campaign.id, name, faceValueFen, thresholdFen],
    );
    await manager.query(
      `INSERT INTO rounds (public_id, campaign_id, voucher_type_id, opens_at, closes_at, quantity) VALUES
         ($1, $3, $4, now() - interval '1 minute', now() + interval '7 days', $5),
         ($2, $3, $4, date_trunc('hour', now()) + interval '7 days', date_trunc('hour', now()) + interval '14 days', $5)`,
      [newPublicId(), newPublicId(), campaign.id, type.id, quantity],
    );
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const dataSource: DataSource = createDataSource(config.databaseUrl, 2);
  await dataSource.initialize();
  try {
    const applied = await runMigrationsLocked(dataSource);
    if (applied.length > 0) console.log(`applied migrations: ${applied.join(', ')}`);
    const people = await dataSource.transaction(async (manager) => {
      const seeded = await seedPeople(manager);
      await seedCampaign(manager);
      return seeded;
    });
    const jwt = new JwtService({ secret: config.jwtSecret, signOptions: { algorithm: 'HS256', expiresIn: '12h' } });
    const tokens = {
      // The demo resident is seeded real-name verified, so the token says so (rv: 1) and may grab.
      resident: jwt.sign(payloadFromClaims({ sub: people.resident, role: Role.Resident, verified: true })),
      cashier: jwt.sign({ sub: people.cashier, role: Role.MerchantStaff, merchantId: people.merchant }),
      merchantAdmin: jwt.sign({ sub: people.admin, role: Role.MerchantAdmin, merchantId: people.merchant }),
      commerceOfficial: jwt.sign({ sub: people.commerce, role: Role.CommerceOfficial }),
      financeOfficial: jwt.sign({ sub: people.finance, role: Role.FinanceOfficial }),
      auditor: jwt.sign({ sub: people.auditor, role: Role.Auditor }),
    };
    console.log('Demo data is loaded. Demo access tokens (12 h), for "Authorize" in /docs:');
    for (const [who, token] of Object.entries(tokens)) console.log(`  ${who.padEnd(17)} ${token}`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(`demo seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
