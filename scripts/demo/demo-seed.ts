import { JwtService } from '@nestjs/jwt';
import { payloadFromClaims, Role } from '@vouchers/auth';
import { AppConfig } from '@vouchers/config';
import { DataSource } from 'typeorm';
import { DemoCampaignFacts, readCampaignFacts, seedCampaign } from './demo-campaign';
import { seedOfficials } from './demo-officials';
import { DemoPeople, seedPeople } from './demo-people';

export interface DemoSeed {
  people: DemoPeople;
  /** The officials' public ids, by their key in DEMO_OFFICIALS. */
  officials: Record<string, string>;
  facts: DemoCampaignFacts;
}

/**
 * Loads the demo in one transaction (idempotent: a second run, today or on a later day, writes
 * nothing) and reads back what the banner shows. `now` is the seed's clock: the demo day is the
 * Asia/Shanghai day before the first run.
 */
export function seedDemo(db: DataSource, config: Pick<AppConfig, 'bankAccountKey' | 'voucherCodeKey'>, now: Date): Promise<DemoSeed> {
  return db.transaction(async (manager) => {
    const officials = await seedOfficials(manager, config.bankAccountKey, now);
    const people = await seedPeople(manager, config.bankAccountKey, now);
    await seedCampaign(manager, people, config.voucherCodeKey, now);
    return { people, officials, facts: await readCampaignFacts(manager, now) };
  });
}

/**
 * The banner's tokens of the resident and the merchant's staff, by the shell name it prints them
 * under (12 h, signed as their SMS sign-in would). Officials get none: they sign in with their
 * password and TOTP code, as the walk shows.
 */
export function demoTokens(people: DemoPeople, jwtSecret: string): Record<string, string> {
  const jwt = new JwtService({ secret: jwtSecret, signOptions: { algorithm: 'HS256', expiresIn: '12h' } });
  return {
    // The demo resident is seeded real-name verified, so the token says so (rv: 1) and may grab.
    RESIDENT: jwt.sign(payloadFromClaims({ sub: people.resident, role: Role.Resident, verified: true })),
    CASHIER: jwt.sign(payloadFromClaims({ sub: people.cashiers[0], role: Role.MerchantStaff, merchantId: people.merchants[0] })),
    MERCHANT_ADMIN: jwt.sign(payloadFromClaims({ sub: people.admin, role: Role.MerchantAdmin, merchantId: people.merchants[0] })),
  };
}
