/**
 * Creates an official's account and prints its one-time activation code: how the first account
 * administrator comes to exist (later ones are created through POST /v1/officials). The holder
 * activates it at POST /v1/official-auth/activation with the code, a password and an authenticator.
 *   npm run officials:add -- --phone 13900000001 --name "市商务局 王" [--role official_admin] [--district haishu]
 * Runs migrations first, under the lock. Audited as actor "officials:add".
 */
import 'reflect-metadata';
import { AppError, isDistrict } from '@vouchers/common';
import { loadConfig } from '@vouchers/config';
import { createDataSource, runMigrationsLocked } from '@vouchers/database';
import { ACCOUNT_ROLES, COMMAND_ACTOR, createOfficialAccount, isAccountRole } from '@vouchers/officials';
import { normalisePhone } from '@vouchers/otp';
import { parseArgs } from 'node:util';

const USAGE = `usage: npm run officials:add -- --phone <mobile> --name <name> [--role ${ACCOUNT_ROLES.join('|')}] [--district <code>]
  --role defaults to official_admin; no --district means city-wide`;

function argumentsOf(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: { phone: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'official_admin' }, district: { type: 'string' } },
  });
  const phone = normalisePhone(values.phone ?? '');
  const name = values.name?.trim() ?? '';
  if (!phone) throw new Error('--phone must be a mainland mobile number');
  if (name.length === 0 || name.length > 64) throw new Error('--name is required (at most 64 characters)');
  if (!isAccountRole(values.role)) throw new Error(`--role must be one of ${ACCOUNT_ROLES.join(', ')}`);
  if (values.district !== undefined && !isDistrict(values.district)) throw new Error('--district must be a district code (haishu, yinzhou, ...)');
  return { phone, name, role: values.role, district: values.district ?? null };
}

async function main(): Promise<void> {
  let fields;
  try {
    fields = argumentsOf(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
  const config = loadConfig();
  // Two connections: runMigrationsLocked holds its advisory lock on one and migrates on the other.
  const dataSource = createDataSource(config.databaseUrl, 2);
  await dataSource.initialize();
  try {
    await runMigrationsLocked(dataSource);
    const created = await dataSource.transaction((manager) => createOfficialAccount(manager, fields, COMMAND_ACTOR));
    console.log(`Created ${created.official.role} ${created.official.name} (${created.official.publicId}).`);
    console.log(`Activation code (valid until ${created.activationExpiresAt.toISOString()}, shown once): ${created.activationCode}`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(`officials:add failed: ${error instanceof AppError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
