import { createDataSource } from '@vouchers/database';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';

const ROOT = join(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const services = require(join(ROOT, 'scripts/local-services.cjs')) as {
  ensureDatabaseOf(url: string, log?: (message: string) => void): Promise<string>;
};

const server = process.env.TEST_SERVER_URL as string;
const urlOf = (database: string, user?: string) => {
  const url = new URL(server);
  url.pathname = `/${database}`;
  if (user) [url.username, url.password] = [user, ''];
  return url.toString();
};
const exists = async (admin: Client, database: string) =>
  (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount === 1;

/** `npm start` with DATABASE_URL naming a database that does not exist (scripts/start.cjs). */
describe('a DATABASE_URL whose database does not exist', () => {
  const { hostname, port } = new URL(server);
  let admin: Client;

  beforeAll(async () => {
    admin = new Client({ connectionString: urlOf('postgres') });
    await admin.connect();
  });

  afterAll(async () => {
    await admin.end();
  });

  describe('when the server lets its user create databases', () => {
    // A hyphen: the name is quoted, as the URL spells it.
    const database = `vt_new-${randomBytes(4).toString('hex')}`;

    afterAll(async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    });

    it('is created by npm start, then migrated and seeded by its next step', async () => {
      const said: string[] = [];
      const url = await services.ensureDatabaseOf(urlOf(database), (line) => said.push(line));
      expect(await exists(admin, database)).toBe(true);
      expect(said).toEqual([`created the database "${database}" on ${hostname}:${port || 5432} (it did not exist)`]);

      const seed = spawnSync(process.execPath, [join(ROOT, 'dist/scripts/seed-demo.js')], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: url },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(seed.stderr).toBe('');
      expect(seed.status).toBe(0);
      const migrated = createDataSource(url, 1);
      await migrated.initialize();
      try {
        expect(await migrated.showMigrations()).toBe(false); // nothing pending
        const [{ count }] = await migrated.query('SELECT count(*)::int AS count FROM schema_migrations');
        expect(count).toBeGreaterThan(0);
      } finally {
        await migrated.destroy();
      }
      // A second start finds it and leaves it alone.
      said.length = 0;
      await services.ensureDatabaseOf(url, (line) => said.push(line));
      expect(said).toEqual([]);
    });
  });

  describe('when the server refuses (a user without CREATEDB)', () => {
    const suffix = randomBytes(4).toString('hex');
    const role = `vt_nocreate_${suffix}`;
    const database = `vt_refused_${suffix}`;

    beforeAll(async () => {
      await admin.query(`CREATE ROLE ${role} LOGIN NOCREATEDB`);
    });

    afterAll(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
    });

    it('stops with one line naming the database and exactly what to run, and that command works', async () => {
      const url = urlOf(database, role);
      const refusal = await services.ensureDatabaseOf(url, () => undefined).then(
        () => null,
        (error: Error) => error.message,
      );
      expect(await exists(admin, database)).toBe(false);
      expect(refusal).not.toContain('\n');
      expect(refusal).toContain(`database "${database}" does not exist on ${hostname}:${port || 5432}`);
      expect(refusal).toContain('permission denied to create database');
      expect(refusal).toContain(`createdb -h ${hostname} -p ${port || 5432} -U postgres -O ${role} ${database}`);

      // Run what it says (its psql form) as the server's superuser: the next start goes on.
      const statement = /\(or in psql: (CREATE DATABASE .*;)\)$/.exec(refusal ?? '')?.[1];
      expect(statement).toBe(`CREATE DATABASE "${database}" OWNER "${role}";`);
      await admin.query(statement as string);
      await expect(services.ensureDatabaseOf(url, () => undefined)).resolves.toBe(url);
    });
  });

  describe('an app started on it (DB_MIGRATE_ON_START=true)', () => {
    const database = `vt_absent_${randomBytes(4).toString('hex')}`;

    it('exits 1 with one line naming the database and the fix, no stack trace, and creates nothing', async () => {
      const app = spawnSync(process.execPath, [join(ROOT, 'dist/apps/issuance/src/main.js')], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: urlOf(database), DB_MIGRATE_ON_START: 'true', LOG_LEVEL: 'silent' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(app.status).toBe(1);
      expect(app.stderr.trim()).toBe(
        `issuance failed to start: database "${database}" does not exist on ${hostname}:${port || 5432}; the apps do not create databases. ` +
          `Create it (createdb -h ${hostname} -p ${port || 5432} -U postgres -O ${new URL(server).username} ${database}, ` +
          `or in psql: CREATE DATABASE "${database}" OWNER "${new URL(server).username}";) or correct DATABASE_URL`,
      );
      expect(app.stdout).not.toMatch(/\n\s+at /);
      expect(await exists(admin, database)).toBe(false);
    }, 90_000);
  });
});
