// Who is signed in at this till: the tokens (shared/session.ts, under the till's own name) and
// what the pages show of the person and the shop (their role, the shop's name and status).
import { reactive } from 'vue';
import { createSession, type Tokens } from '@web/shared/session';

export type StaffRole = 'merchant_admin' | 'merchant_staff';

export interface TillPerson {
  staffName: string;
  role: StaffRole;
  merchantId: string;
  shopName: string;
  merchantStatus: string;
}

const KEY = 'vouchers.till.person';
export const session = createSession('till');
export const person = reactive<{ current: TillPerson | null }>({ current: read() });

function read(): TillPerson | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as TillPerson) : null;
  } catch {
    return null;
  }
}

/** Keeps a new sign-in (or a registration, whose answer has no refresh token: '' then). */
export function signedIn(tokens: Tokens, who: TillPerson): void {
  session.signIn(tokens);
  person.current = who;
  localStorage.setItem(KEY, JSON.stringify(who));
}

export function signedOut(): void {
  session.signOut();
  person.current = null;
  localStorage.removeItem(KEY);
}

export const isSignedIn = (): boolean => session.accessToken !== null && person.current !== null;
export const isAdmin = (): boolean => person.current?.role === 'merchant_admin';
