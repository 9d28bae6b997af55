// The browser run's own database (platform-setup.ts sets BROWSER_TEST_DATABASE_URL), for a test
// that moves a fact the pages cannot (a round's sign-up window, a consent's version) or reads one back.
import { Client } from 'pg';

export async function inRunDatabase<T>(work: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: process.env.BROWSER_TEST_DATABASE_URL });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}
