import { JwtService } from '@nestjs/jwt';
import { payloadFromClaims, Role } from '@vouchers/auth';
import { AppConfig } from '@vouchers/config';
import { DataSource } from 'typeorm';
import { DemoCampaignFacts, readCampaignFacts, seedCampaign } from './demo-campaign';
import { DemoPeople, seedPeople } from './demo-people';

export interface DemoSeed {
  people: DemoPeople;
  facts: DemoCampaignFacts;
}

/**
 * Loads the demo in one transaction (idempotent: a second run, today or on a later day, writes
 * nothing) and reads back what the banner shows. `now` is the seed's clock: the demo day is the
 * Asia/Shanghai day before the first run.
 */
export function seedDemo(db: DataSource, config: Pick<AppConfig, 'bankAccountKey' | 'voucherCodeKey'>, now: Date): Promise<DemoSeed> {
  return db.transaction(async (manager) => {
    const people = await seedPeople(manager, config.bankAccountKey, now);
    await seedCampaign(manager, people, config.voucherCodeKey, now);
    return { people, facts: await readCampaignFacts(manager, now) };
  });
}

/** The banner's tokens, by the shell name it prints them under (12 h, signed as sign-in would). */
export function demoTokens(people: DemoPeople, jwtSecret: string): Record<string, string> {
  const jwt = new JwtService({ secret: jwtSecret, signOptions: { algorithm: 'HS256', expiresIn: '12h' } });
  const official = (sub: string, role: Role) => jwt.sign(payloadFromClaims({ sub, role }));
  return {
    // The demo resident is seeded real-name verified, so the token says so (rv: 1) and may grab.
    RESIDENT: jwt.sign(payloadFromClaims({ sub: people.resident, role: Role.Resident, verified: true })),
    CASHIER: jwt.sign(payloadFromClaims({ sub: people.cashiers[0], role: Role.MerchantStaff, merchantId: people.merchants[0] })),
    MERCHANT_ADMIN: jwt.sign(payloadFromClaims({ sub: people.admin, role: Role.MerchantAdmin, merchantId: people.merchants[0] })),
    COMMERCE_A: official(people.commerce[0], Role.CommerceOfficial),
    COMMERCE_B: official(people.commerce[1], Role.CommerceOfficial),
    FINANCE_A: official(people.finance[0], Role.FinanceOfficial),
    FINANCE_B: official(people.finance[1], Role.FinanceOfficial),
    AUDITOR_A: official(people.auditors[0], Role.Auditor),
    AUDITOR_B: official(people.auditors[1], Role.Auditor),
  };
}
