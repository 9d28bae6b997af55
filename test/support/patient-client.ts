/**
 * A client that behaves as the pages do towards a busy platform: a 503, 502 or 429 (or no
 * answer at all) is waited out, by Retry-After but at most a second here, and the very same
 * request is sent again, until a final answer or the deadline. What it answers is the last
 * answer, with how many times it was sent.
 */
export interface FinalAnswer {
  status: number;
  /** The error code of a refusal, '' for a success; 'NO_ANSWER' when nothing came before the deadline. */
  code: string;
  body: Record<string, unknown>;
  sends: number;
}

const RETRIED = new Set([429, 502, 503]);
const MAX_WAIT_MS = 1_000;

export async function sendPatiently(url: string, init: RequestInit, deadlineMs: number): Promise<FinalAnswer> {
  const until = Date.now() + deadlineMs;
  let sends = 0;
  let last: FinalAnswer = { status: 0, code: 'NO_ANSWER', body: {}, sends };
  while (Date.now() < until) {
    sends += 1;
    let waitMs = 200;
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(Math.max(1, until - Date.now())) });
      const text = await response.text();
      const body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
      last = { status: response.status, code: response.ok ? '' : String(body.code ?? `HTTP_${response.status}`), body, sends };
      if (!RETRIED.has(response.status)) return last;
      waitMs = Number(response.headers.get('retry-after') ?? 1) * 1000;
    } catch {
      last = { status: 0, code: 'NO_ANSWER', body: {}, sends };
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(waitMs, MAX_WAIT_MS) * (0.5 + Math.random() / 2)));
  }
  return { ...last, sends };
}

/** Runs `jobs` in order, job i started no earlier than i · spacingMs after the first, at most `inFlight` at once. */
export async function paced<T>(jobs: Array<() => Promise<T>>, spacingMs: number, inFlight: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  const started = Date.now();
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const i = next++;
      const due = started + i * spacingMs - Date.now();
      if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, jobs.length) }, lane));
  return results;
}
