// The signed-in official: the tokens (shared/session.ts, kept under the console's own name) and
// who they are (name, role, district), as the sign-in answered; the menu and the pages read it.
import { reactive } from 'vue';
import { createSession, type Tokens } from '@web/shared/session';

export type OfficialRole = 'commerce_official' | 'finance_official' | 'auditor' | 'official_admin';

export interface SignedInOfficial {
  id: string;
  name: string;
  role: OfficialRole;
  district: string | null;
}

export interface OfficialSessionAnswer extends Tokens {
  official: SignedInOfficial;
}

const KEY = 'vouchers.console.official';
const tokens = createSession('console');

function readOfficial(): SignedInOfficial | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as SignedInOfficial) : null;
  } catch {
    return null;
  }
}

const who = reactive<{ official: SignedInOfficial | null }>({ official: tokens.accessToken ? readOfficial() : null });

export const officialSession = {
  get accessToken(): string | null {
    return tokens.accessToken;
  },
  get refreshToken(): string | null {
    return tokens.state.tokens?.refreshToken ?? null;
  },
  get official(): SignedInOfficial | null {
    return who.official;
  },
  signIn(answer: OfficialSessionAnswer): void {
    tokens.signIn(answer);
    const { id, name, role, district } = answer.official;
    who.official = { id, name, role, district };
    localStorage.setItem(KEY, JSON.stringify(who.official));
  },
  signOut(): void {
    tokens.signOut();
    who.official = null;
    localStorage.removeItem(KEY);
  },
};

/** What each role may open in the console (the apps refuse the rest anyway: this only keeps the menu honest). */
export const PAGES_OF_ROLE: Record<OfficialRole, readonly string[]> = {
  commerce_official: ['campaigns', 'merchants', 'residents', 'figures', 'audit'],
  finance_official: ['settlement', 'figures', 'audit'],
  auditor: ['audit', 'merchants', 'settlement', 'figures'],
  official_admin: ['accounts'],
};

/** Pages a district official may not open: settlement (the apps answer CITY_OFFICIAL_REQUIRED: it is city money) and the audit trail (AUDIT_TRAIL_CITY_WIDE_ONLY: read whole or not at all). */
const CITY_WIDE_PAGES: readonly string[] = ['settlement', 'audit'];

/** The pages this official may open: their role's, less the city-wide ones for a district official. */
export function pagesOf(official: SignedInOfficial | null): readonly string[] {
  if (!official) return [];
  const pages = PAGES_OF_ROLE[official.role] ?? [];
  return official.district === null ? pages : pages.filter((page) => !CITY_WIDE_PAGES.includes(page));
}
