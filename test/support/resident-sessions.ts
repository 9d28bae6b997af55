import { randomInt } from 'node:crypto';
import { idNumberCheckChar } from '../../apps/issuance/src/residents/id-number';
import { GrabRig } from './grab-rig';
import { deleteKeys, keysMatching } from './redis-keys';
import { REAL_NAME_CONSENT, SIGN_IN_CONSENT } from './consents';

/** What a resident's sign-in answers. */
export interface ResidentSession {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
  resident: { id: string; phone: string; verified: boolean };
}

/** A random mobile number starting 13 (the database and Redis are shared by the whole run). */
export const randomResidentPhone = () => `13${randomInt(0, 1_000_000_000).toString().padStart(9, '0')}`;

/** A number as the apps show it: 138****5678. */
export const maskedPhone = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

/** A valid ID number (Ningbo 海曙 address code, born 1950-1999), ending in X when asked. */
export function newIdNumber(options: { endingInX?: boolean } = {}): string {
  for (;;) {
    const birth = `${randomInt(1950, 2000)}${String(randomInt(1, 13)).padStart(2, '0')}${String(randomInt(1, 29)).padStart(2, '0')}`;
    const first17 = `330203${birth}${String(randomInt(0, 1000)).padStart(3, '0')}`;
    const check = idNumberCheckChar(first17) as string;
    if (!options.endingInX || check === 'X') return first17 + check;
  }
}

/**
 * Residents signing in, proving a number and verifying their name through a GrabRig's app. Every
 * request comes from one address, so `freshAllowance` (in a beforeEach) gives each test that
 * address's whole allowance of codes again.
 */
export class ResidentSessions {
  constructor(private readonly rig: GrabRig) {}

  async freshAllowance(): Promise<void> {
    await deleteKeys(this.rig.redis, await keysMatching(this.rig.redis, `${this.rig.prefix}rl:otp*:ip:{*`));
  }

  /** Lets the next code to the number, a sign-in's, a number change's or a closing's, go out at once. */
  async endCooldowns(phone: string): Promise<void> {
    await Promise.all(['resident', 'resident-phone-change', 'resident-closing'].map((audience) => this.rig.redis.del(`${this.rig.prefix}otp:${audience}:cooldown:{${phone}}`)));
  }

  async signIn(phone: string): Promise<ResidentSession> {
    await this.endCooldowns(phone);
    const sent = await this.rig.call('POST', '/v1/auth/otp', undefined, { phone, ...SIGN_IN_CONSENT });
    expect(sent.status).toBe(202);
    const session = await this.rig.call('POST', '/v1/auth/otp/verify', undefined, { phone, code: sent.body.devCode, ...SIGN_IN_CONSENT });
    expect(session.status).toBe(200);
    return session.body as unknown as ResidentSession;
  }

  /** Real-name verifies the session's resident; answers the access token that may grab. */
  async verify(session: ResidentSession, idNumber = newIdNumber(), name = '张三'): Promise<string> {
    const answer = await this.rig.call('POST', '/v1/residents/me/real-name', session.accessToken, { name, idNumber, ...REAL_NAME_CONSENT });
    expect(answer.status).toBe(200);
    return answer.body.accessToken as string;
  }
}

/**
 * What a residents' e2e file sets up first: a GrabRig started for the whole file, its residents'
 * sessions with each test given the address's whole allowance of codes again, and the calls every
 * such file makes. Call it at the top of the describe block (it registers the hooks).
 */
export function residentsRig() {
  const rig = new GrabRig();
  beforeAll(async () => {
    await rig.start();
  });
  afterAll(async () => {
    await rig.stop();
  });
  const sessions = new ResidentSessions(rig);
  beforeEach(() => sessions.freshAllowance());
  const call = (method: string, path: string, token?: string, body?: unknown) => rig.call(method, path, token, body);
  const refresh = (refreshToken: string) => call('POST', '/v1/auth/refresh', undefined, { refreshToken });
  return { rig, sessions, call, refresh };
}
