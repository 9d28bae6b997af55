// A front's signed-in session: the access and refresh tokens, kept in localStorage under the
// front's own name so the three fronts on one origin never share a sign-in.
import { reactive } from 'vue';

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export function createSession(front: 'h5' | 'till' | 'console') {
  const key = `vouchers.${front}.session`;
  const state = reactive<{ tokens: Tokens | null }>({ tokens: read() });

  function read(): Tokens | null {
    try {
      const raw = localStorage.getItem(key);
      return raw ? (JSON.parse(raw) as Tokens) : null;
    } catch {
      return null;
    }
  }

  return {
    state,
    get accessToken(): string | null {
      return state.tokens?.accessToken ?? null;
    },
    signIn(tokens: Tokens): void {
      state.tokens = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
      localStorage.setItem(key, JSON.stringify(state.tokens));
    },
    signOut(): void {
      state.tokens = null;
      localStorage.removeItem(key);
    },
  };
}
