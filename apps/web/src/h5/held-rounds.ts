// The rounds this resident got a voucher from on this phone, so the grab button still says so
// after a reload ("已领到", not an inviting "立即抢券"). Kept in the phone's storage, not asked
// of the server: at a round's opening every extra read per resident counts. Another phone
// does not know them; pressing there is answered "you already have it" by the server.
const KEY = 'vouchers.h5.held-rounds';
const KEEP = 50;

type Held = Record<string, string[]>;

function read(): Held {
  try {
    return (JSON.parse(localStorage.getItem(KEY) ?? '{}') as Held) ?? {};
  } catch {
    return {};
  }
}

export function heldRounds(residentId: string | undefined): ReadonlySet<string> {
  return new Set(residentId ? (read()[residentId] ?? []) : []);
}

export function rememberHeldRound(residentId: string | undefined, roundId: string): void {
  if (!residentId) return;
  const held = read();
  const rounds = [roundId, ...(held[residentId] ?? []).filter((id) => id !== roundId)].slice(0, KEEP);
  localStorage.setItem(KEY, JSON.stringify({ ...held, [residentId]: rounds }));
}
