import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppName } from '@vouchers/http';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { bootApp } from './apps';

export interface FreshApp {
  app: NestFastifyApplication;
  /** A connection to the fresh database, for arranging rows and counting them. */
  db: Client;
  close: () => Promise<void>;
}

/**
 * Boots an app on a database of its own (migrated at boot), for tests that count rows across
 * a whole table and so must not see what other test files write to the run's database.
 */
export async function bootAppOnFreshDatabase(name: AppName, env: NodeJS.ProcessEnv = {}): Promise<FreshApp> {
  const server = process.env.TEST_SERVER_URL as string;
  const database = `vt_fresh_${randomBytes(4).toString('hex')}`;
  const urlOf = (db: string) => Object.assign(new URL(server), { pathname: `/${db}` }).toString();
  const admin = new Client({ connectionString: urlOf('postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const app = await bootApp(name, { ...env, DATABASE_URL: urlOf(database) });
  const db = new Client({ connectionString: urlOf(database) });
  await db.connect();
  return {
    app,
    db,
    close: async () => {
      await db.end();
      await app.close();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    },
  };
}
