import { Role } from '@vouchers/auth';
import { Official } from '@vouchers/database';
import { AccountRole, createReadyOfficial, openTotpSecret, passwordMatches } from '@vouchers/officials';
import { EntityManager } from 'typeorm';

/**
 * An official of the demo, who signs in as anyone does (POST /v1/official-auth/sign-in with phone,
 * password and a TOTP code). The password and the TOTP secret are printed by the banner, so
 * they are for the demo only: `npm run demo:totp -- NAME` answers the current code of NAME.
 */
export interface DemoOfficial {
  /** The name the banner, the walk and demo:totp know them by. */
  key: string;
  phone: string;
  name: string;
  role: AccountRole;
  /** A district code, or null for city-wide. */
  district: string | null;
  /** Passes the password rules: a passphrase, as an official would choose one. */
  password: string;
  /** Base32, 160 bits, as an authenticator app takes it. */
  totpSecret: string;
  /** What the banner says they are. */
  about: string;
}

/** Two of each role, so four eyes (one starts, another approves) can be walked with real accounts. */
export const DEMO_OFFICIALS: readonly DemoOfficial[] = [
  {
    key: 'COMMERCE_A', phone: '13900000001', name: '市商务局 演示 A', role: Role.CommerceOfficial, district: null,
    password: 'harbour lantern cedar forty', totpSecret: 'COMMERCEAAHARBOURLANTERNCEDARAAA', about: 'commerce official, city-wide',
  },
  {
    key: 'COMMERCE_B', phone: '13900000004', name: '市商务局 演示 B', role: Role.CommerceOfficial, district: null,
    password: 'teapot glacier violin sunday', totpSecret: 'COMMERCEBBTEAPOTGLACIERVIOLINBBB', about: 'commerce official, city-wide (a second one)',
  },
  {
    key: 'COMMERCE_HAISHU', phone: '13900000007', name: '海曙区商务局 演示', role: Role.CommerceOfficial, district: 'haishu',
    password: 'bamboo ferry compass willow', totpSecret: 'COMMERCEHSBAMBOOFERRYCOMPASSHSHS', about: 'commerce official of haishu only',
  },
  {
    key: 'FINANCE_HAISHU', phone: '13900000010', name: '海曙区财政局 演示', role: Role.FinanceOfficial, district: 'haishu',
    password: 'orchard beacon rivet moss', totpSecret: 'FINANCEHSORCHARDBEACONRIVETHSHSH', about: "finance official of haishu only: the district's figures, no settlement (city money)",
  },
  {
    key: 'FINANCE_A', phone: '13900000002', name: '市财政局 演示 A', role: Role.FinanceOfficial, district: null,
    password: 'abacus meadow pepper harbor', totpSecret: 'FINANCEAAABACUSMEADOWPEPPERAAAAA', about: 'finance official',
  },
  {
    key: 'FINANCE_B', phone: '13900000005', name: '市财政局 演示 B', role: Role.FinanceOfficial, district: null,
    password: 'copper kite saffron lagoon', totpSecret: 'FINANCEBBCOPPERKITESAFFRONBBBBBB', about: 'finance official (a second one: four eyes)',
  },
  {
    key: 'AUDITOR_A', phone: '13900000003', name: '审计 演示 A', role: Role.Auditor, district: null,
    password: 'ledger willow thunder parsnip', totpSecret: 'AUDITORAALEDGERWILLOWTHUNDERAAAA', about: 'auditor',
  },
  {
    key: 'AUDITOR_B', phone: '13900000006', name: '审计 演示 B', role: Role.Auditor, district: null,
    password: 'quartz pelican maple drizzle', totpSecret: 'AUDITORBBQUARTZPELICANMAPLEBBBBB', about: 'auditor (a second one)',
  },
  {
    key: 'ADMIN_A', phone: '13900000008', name: '账号管理员 演示 A', role: Role.OfficialAdmin, district: null,
    password: 'granite kestrel mango ribbon', totpSecret: 'ADMINAAAGRANITEKESTRELMANGOAAAAA', about: "officials' account administrator",
  },
  {
    key: 'ADMIN_B', phone: '13900000009', name: '账号管理员 演示 B', role: Role.OfficialAdmin, district: null,
    password: 'velvet tundra oboe chestnut', totpSecret: 'ADMINBBBVELVETTUNDRAOBOEBBBBBBBB', about: "officials' account administrator (a second one)",
  },
];

export function demoOfficial(key: string): DemoOfficial | undefined {
  return DEMO_OFFICIALS.find((official) => official.key === key);
}

/**
 * Whether the account already signs in with these credentials as this person: then the seed
 * leaves it as it is (a second run writes nothing, and sessions and the last TOTP step stand).
 */
async function isReady(account: Official | null, official: DemoOfficial, sealKey: string, now: Date): Promise<boolean> {
  if (!account?.passwordHash) return false;
  const asSeeded = account.name === official.name && account.role === official.role && account.district === official.district;
  const usable = account.disabledAt === null && account.activationCodeHash === null && (account.lockedUntil === null || account.lockedUntil <= now);
  const sameSecret = account.totpSecret !== null && sameTotpSecret(account.totpSecret, official.totpSecret, sealKey);
  return asSeeded && usable && sameSecret && (await passwordMatches(account.passwordHash, official.password));
}

/** Whether the sealed secret is this one (a secret sealed under another key is not). */
function sameTotpSecret(sealed: string, secret: string, sealKey: string): boolean {
  try {
    return openTotpSecret(sealed, sealKey) === secret;
  } catch {
    return false;
  }
}

/**
 * The demo's officials, made as an administrator's activation would leave them (active, with a
 * password and an enrolled authenticator); an account changed since (a new password, a lock,
 * disabled) is reset to the demo's credentials. Answers their public ids by key.
 */
export async function seedOfficials(manager: EntityManager, sealKey: string, now: Date): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const official of DEMO_OFFICIALS) {
    const account = await manager.findOneBy(Official, { phone: official.phone });
    if (account && (await isReady(account, official, sealKey, now))) {
      ids[official.key] = account.publicId;
      continue;
    }
    const { phone, name, role, district, password, totpSecret } = official;
    ids[official.key] = (await createReadyOfficial(manager, { phone, name, role, district, password, totpSecret, sealKey })).publicId;
  }
  return ids;
}
