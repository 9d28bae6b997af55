import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { loadConfig } from '@vouchers/config';
import { AccountRole, createReadyOfficial, totpCodeOf } from '@vouchers/officials';
import request from 'supertest';
import { DataSource } from 'typeorm';

/** An active official made the demo seed's way (createReadyOfficial), with what signs them in. */
export interface TestOfficial {
  id: string;
  phone: string;
  password: string;
  totpSecret: string;
}

export const GOOD_PASSWORD = 'copper kettle orbit 19 sage';

export async function readyOfficial(
  db: DataSource,
  phone: string,
  role: AccountRole = Role.CommerceOfficial,
  district: string | null = null,
): Promise<TestOfficial> {
  const { publicId, totpSecret } = await createReadyOfficial(db.manager, {
    phone,
    name: `测试 ${role}`,
    role,
    district,
    password: GOOD_PASSWORD,
    sealKey: loadConfig().bankAccountKey,
  });
  return { id: publicId, phone, password: GOOD_PASSWORD, totpSecret };
}

/**
 * A code of the current step that the account has not spent: the last step accepted is
 * forgotten first (the test moves the row's clock), so one account signs in many times a minute.
 */
export async function unspentCode(db: DataSource, official: Pick<TestOfficial, 'phone' | 'totpSecret'>): Promise<string> {
  await db.query('UPDATE officials SET totp_last_step = NULL WHERE phone = $1', [official.phone]);
  return totpCodeOf(official.totpSecret);
}

export interface OfficialSession {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
  sessionExpiresAt: string;
  official: { id: string; role: string; district: string | null; status: string; phone: string; lastSignInAt: string | null };
}

export async function signInOfficial(app: NestFastifyApplication, db: DataSource, official: TestOfficial): Promise<OfficialSession> {
  const response = await request(app.getHttpServer())
    .post('/v1/official-auth/sign-in')
    .send({ phone: official.phone, password: official.password, totpCode: await unspentCode(db, official) });
  if (response.status !== 200) throw new Error(`sign-in answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body as OfficialSession;
}
