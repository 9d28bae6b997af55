/**
 * Loads the demo (idempotent: a second run changes nothing) and prints its banner: sign-in
 * tokens for every role, two officials of each, and the walk from a grab to a reconciled
 * payout (scripts/demo/demo-walk.ts; docs/demo.md). Runs migrations first, under the lock.
 *   node dist/scripts/seed-demo.js
 */
import 'reflect-metadata';
import { fenToYuan } from '@vouchers/common';
import { loadConfig } from '@vouchers/config';
import { createDataSource, runMigrationsLocked } from '@vouchers/database';
import { EligibilityIndex } from '@vouchers/eligibility';
import { createRedisClient } from '@vouchers/redis';
import { DataSource } from 'typeorm';
import { DEMO_MERCHANTS } from './demo/demo-people';
import { demoTokens, DemoSeed, seedDemo } from './demo/demo-seed';
import { renderWalk, WalkPorts } from './demo/demo-walk';

const shanghai = (moment: Date) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' }).format(moment);

/**
 * Writes the demo merchants into the till's eligibility index, as an approval does. An index
 * loaded from an earlier database (a Redis kept across `dropdb`) would otherwise not know them
 * and the till would refuse them; an index not loaded yet is rebuilt from Postgres anyway.
 */
async function indexMerchants(db: DataSource, config: ReturnType<typeof loadConfig>, merchantIds: string[]): Promise<void> {
  const redis = createRedisClient(config, 'demo-seed');
  try {
    await new EligibilityIndex(redis, db).putMany(
      DEMO_MERCHANTS.map((merchant, index) => ({ merchantId: merchantIds[index], status: 'approved', district: merchant.district, category: merchant.category })),
    );
  } finally {
    redis.disconnect();
  }
}

function banner(seed: DemoSeed, tokens: Record<string, string>, ports: WalkPorts): string[] {
  const { facts } = seed;
  const lines = ['Demo data is loaded. Access tokens (12 h), for "Authorize" in /docs or to paste into a shell:'];
  const who: Record<string, string> = {
    RESIDENT: '张三, a verified resident',
    CASHIER: `cashier of ${DEMO_MERCHANTS[0].shopName}`,
    MERCHANT_ADMIN: `admin of ${DEMO_MERCHANTS[0].shopName}`,
    COMMERCE_A: 'commerce official', COMMERCE_B: 'commerce official (a second one)',
    FINANCE_A: 'finance official', FINANCE_B: 'finance official (a second one: four eyes)',
    AUDITOR_A: 'auditor', AUDITOR_B: 'auditor (a second one)',
  };
  for (const [name, token] of Object.entries(tokens)) lines.push(`  ${name}=${token}  # ${who[name]}`);
  const next = facts.nextRoundAt ? `; next round opens ${shanghai(facts.nextRoundAt)} Asia/Shanghai` : '';
  lines.push(facts.openRound ? `  ROUND=${facts.openRound}  # 满40减10, open now${next}` : `  # no demo round is open now${next}`);
  if (facts.day) {
    lines.push(`  DAY=${facts.day.date}  # the demo day: ${facts.day.redemptions} redemptions, ${fenToYuan(facts.day.subsidyFen)} yuan of subsidy to settle`);
  } else {
    lines.push('  # this database was seeded before the demo had a day to settle: drop it (dropdb vouchers) and start again');
  }
  lines.push('The walk, from a grab to a reconciled payout (docs/demo.md has every step with curl):', ...renderWalk(ports));
  return lines;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const dataSource: DataSource = createDataSource(config.databaseUrl, 2);
  await dataSource.initialize();
  try {
    const applied = await runMigrationsLocked(dataSource);
    if (applied.length > 0) console.log(`applied migrations: ${applied.join(', ')}`);
    const seed = await seedDemo(dataSource, config, new Date());
    await indexMerchants(dataSource, config, seed.people.merchants);
    const ports = { issuance: config.issuancePort, merchant: config.merchantPort, redemption: config.redemptionPort, settlement: config.settlementPort };
    for (const line of banner(seed, demoTokens(seed.people, config.jwtSecret), ports)) console.log(line);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(`demo seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
