import { Role } from '@vouchers/auth';
import { newPublicId } from '@vouchers/common';
import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { tokenFor } from './tokens';

export interface TestResident {
  id: string;
  token: string;
}

/** Inserts verified residents in one statement and signs a token for each (as sign-in would after real-name checks). */
export async function createVerifiedResidents(db: DataSource, count: number): Promise<TestResident[]> {
  const ids = Array.from({ length: count }, () => newPublicId());
  const base = randomInt(10_000_000, 90_000_000);
  await db.query(
    `INSERT INTO residents (public_id, phone, real_name, id_number_masked, verified_at)
     SELECT id, '19' || lpad(($2::bigint + n)::text, 9, '0'), '测试', '330203********0000', now()
       FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
    [ids, base * 10],
  );
  return ids.map((id) => ({ id, token: tokenFor({ sub: id, role: Role.Resident, verified: true }, { expiresIn: 3600 }) }));
}
