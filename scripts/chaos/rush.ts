/**
 * The crowd of a fault run: residents arriving at a steady rate, each grabbing one round as a
 * resident's app would. One Idempotency-Key per person for all their tries; a 503 or 429 is
 * tried again after its Retry-After (plus a little jitter, so tries do not march in step), a
 * lost connection or a 5xx after half a second; an answer that settles it (a voucher, or a
 * 4xx such as SOLD_OUT) ends that person's grab. A person who has been told to wait for
 * longer than their patience gives up. Every answer is kept with the times it was sent and
 * received, for the checks.
 */
import http from 'node:http';

export interface RushOptions {
  url: string;
  roundId: string;
  /** Bearer tokens of the crowd, in order of arrival. */
  tokens: string[];
  arrivalsPerSecond: number;
  /** Requests in flight at most; the rest wait for a connection, as behind a busy network. */
  connections: number;
  /** How long one person keeps trying once they were first told to wait (ms). */
  patienceMs: number;
  /** Nobody is still trying this long after the rush started (ms). */
  deadlineMs: number;
}

export interface Answer {
  sentAt: number;
  at: number;
  /** 0: no answer (connection refused or lost, or timed out) */
  status: number;
  code: string;
}

export interface RushResult {
  answers: Answer[];
  /** Voucher ids answered with 201 or 200: each must be a row. */
  acked: Set<string>;
  created: number;
  status500: number;
  status503: number;
  noAnswer: number;
  /** People who gave up (patience or deadline) without a final answer. */
  gaveUp: number;
  /** The longest one person was kept waiting between their first "try again" and their final answer or giving up (ms). */
  longestWaitMs: number;
  endedAt: number;
  /** The most grabs in flight at once (waiting for a connection included). */
  peakInFlight: number;
  codes: Record<string, number>;
}

const REQUEST_TIMEOUT_MS = 15_000;
const RETRY_AFTER_LOST_MS = 500;
const JITTER_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function post(agent: http.Agent, url: URL, path: string, headers: Record<string, string>): Promise<{ status: number; retryAfter: string; body: string }> {
  return new Promise((resolve) => {
    const request = http.request(
      { agent, host: url.hostname, port: url.port, method: 'POST', path, headers, timeout: REQUEST_TIMEOUT_MS },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, retryAfter: String(response.headers['retry-after'] ?? ''), body }));
        response.on('error', () => resolve({ status: 0, retryAfter: '', body: '' }));
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => resolve({ status: 0, retryAfter: '', body: '' }));
    request.end();
  });
}

function fieldOf(body: string, name: string): string {
  try {
    const value = (JSON.parse(body) as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : '';
  } catch {
    return '';
  }
}

export class Rush {
  readonly answers: Answer[] = [];
  readonly acked = new Set<string>();
  created = 0;
  private status500 = 0;
  private status503 = 0;
  private noAnswer = 0;
  private gaveUp = 0;
  private longestWaitMs = 0;
  private readonly codes = new Map<string, number>();
  private started = 0;
  private inFlight = 0;
  private peakInFlight = 0;

  constructor(private readonly options: RushOptions) {}

  async run(): Promise<RushResult> {
    const { tokens, arrivalsPerSecond, connections } = this.options;
    const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
    this.started = performance.now();
    const people: Array<Promise<void>> = [];
    for (let i = 0; i < tokens.length; i++) {
      const arrival = this.started + (i * 1000) / arrivalsPerSecond;
      const wait = arrival - performance.now();
      if (wait > 1) await sleep(wait);
      people.push(this.person(agent, i));
    }
    await Promise.all(people);
    agent.destroy();
    return {
      answers: this.answers,
      acked: this.acked,
      created: this.created,
      status500: this.status500,
      status503: this.status503,
      noAnswer: this.noAnswer,
      gaveUp: this.gaveUp,
      longestWaitMs: Math.round(this.longestWaitMs),
      endedAt: performance.now(),
      peakInFlight: this.peakInFlight,
      codes: Object.fromEntries(this.codes),
    };
  }

  /** Resolves once `created` 201s have been answered, or false if the rush ends first. */
  async untilCreated(created: number, running: Promise<unknown>): Promise<boolean> {
    let ended = false;
    void running.finally(() => (ended = true));
    while (this.created < created) {
      if (ended) return false;
      await sleep(10);
    }
    return true;
  }

  private async person(agent: http.Agent, i: number): Promise<void> {
    const { url, roundId, tokens, patienceMs, deadlineMs } = this.options;
    const target = new URL(url);
    const path = `/v1/rounds/${roundId}/claims`;
    // Unique per person and round: the database holds a person's keys unique across campaigns.
    const headers = { authorization: `Bearer ${tokens[i]}`, 'idempotency-key': `chaos-${roundId.replace(/-/g, '')}` };
    let waitingSince: number | null = null;
    for (;;) {
      const sentAt = performance.now();
      this.peakInFlight = Math.max(this.peakInFlight, ++this.inFlight);
      const answer = await post(agent, target, path, headers);
      this.inFlight -= 1;
      const at = performance.now();
      const code = answer.status === 0 ? 'NO_ANSWER' : answer.status < 300 ? `HTTP_${answer.status}` : fieldOf(answer.body, 'code') || `HTTP_${answer.status}`;
      this.answers.push({ sentAt, at, status: answer.status, code });
      this.codes.set(code, (this.codes.get(code) ?? 0) + 1);
      if (answer.status === 201 || answer.status === 200) {
        if (answer.status === 201) this.created += 1;
        this.acked.add(fieldOf(answer.body, 'id'));
        return this.settle(waitingSince, at);
      }
      if (answer.status >= 400 && answer.status < 500 && answer.status !== 429) return this.settle(waitingSince, at);
      if (answer.status === 0) this.noAnswer += 1;
      else if (answer.status === 503) this.status503 += 1;
      else if (answer.status >= 500) this.status500 += 1;
      waitingSince ??= at;
      const retryAfterMs = answer.status === 0 || answer.status >= 500 && answer.status !== 503 ? RETRY_AFTER_LOST_MS : 1000 * (Number(answer.retryAfter) || 1);
      const next = at + retryAfterMs + Math.random() * JITTER_MS;
      if (next - waitingSince > patienceMs || next - this.started > deadlineMs) {
        this.gaveUp += 1;
        return this.settle(waitingSince, at);
      }
      await sleep(next - performance.now());
    }
  }

  private settle(waitingSince: number | null, at: number): void {
    if (waitingSince !== null) this.longestWaitMs = Math.max(this.longestWaitMs, at - waitingSince);
  }
}
