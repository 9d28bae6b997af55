// The processes of one app behind the web gateway (scripts/web-gateway.ts), and which one takes
// the next request.
//
// An app's upstream setting lists one or more origins (ISSUANCE_UPSTREAM=http://127.0.0.1:3001,
// http://127.0.0.1:3011 as `npm start` writes it for two processes); each host name is resolved
// to every address it has, again every few seconds, so a compose service run as several
// replicas (`issuance` resolves to each replica's address on the compose network) is as many
// members as it has replicas, and a replica that comes or goes is seen.
//
// Each member is checked on its /health every couple of seconds: 200 is up, any other answer
// is sick (alive, but say Postgres is down for it, or too busy to answer in time), no
// connection is down. A connection the gateway
// cannot make marks the member down at once, before the next check. A request goes to the
// member with the fewest requests in flight among the best state there is (up, else sick, else
// down: when nothing answers its check, trying is still better than refusing), ties taken in
// turn.
import { lookup } from 'node:dns/promises';
import { get } from 'node:http';
import { isIP } from 'node:net';

export type MemberState = 'up' | 'sick' | 'down';

export interface Member {
  /** address:port, as the pool knows it. */
  readonly key: string;
  readonly address: string;
  readonly port: number;
  state: MemberState;
  /** Requests sent to it and not yet finished. */
  pending: number;
  /** Answers it gave (any status). */
  served: number;
  /** Requests it took but did not answer (connection refused, reset, timed out). */
  failed: number;
}

export interface PoolTiming {
  healthEveryMs: number;
  healthTimeoutMs: number;
  resolveEveryMs: number;
}

export const DEFAULT_POOL_TIMING: PoolTiming = { healthEveryMs: 2_000, healthTimeoutMs: 2_000, resolveEveryMs: 5_000 };

const RANK: Record<MemberState, number> = { up: 0, sick: 1, down: 2 };

/** Every address a host name has: IPv4 ones where there are any (localhost and dual-stack names are one process, so one family). */
export type HostResolver = (host: string) => Promise<string[]>;

export const resolveHost: HostResolver = async (host) => {
  const all = await lookup(host, { all: true });
  const v4 = all.filter((entry) => entry.family === 4);
  return (v4.length > 0 ? v4 : all).map((entry) => entry.address);
};

/** The origins of an upstream setting: one URL, or several separated by commas. */
export function parseOrigins(setting: string): URL[] {
  return setting
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => new URL(part));
}

export class UpstreamPool {
  private members: Member[] = [];
  /** Each origin's addresses when its name last resolved. */
  private readonly resolved = new Map<string, string[]>();
  private turn = 0;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    readonly name: string,
    private readonly origins: URL[],
    private readonly timing: PoolTiming = DEFAULT_POOL_TIMING,
    private readonly resolver: HostResolver = resolveHost,
  ) {}

  /** Resolves the origins once, then keeps resolving and checking in the background. */
  async start(): Promise<void> {
    await this.resolve();
    void this.check();
    this.timers.push(setInterval(() => void this.resolve(), this.timing.resolveEveryMs).unref());
    this.timers.push(setInterval(() => void this.check(), this.timing.healthEveryMs).unref());
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  /** The member for the next request, or null when every member is in `tried` (or there is none). */
  pick(tried: ReadonlySet<Member>): Member | null {
    const candidates = this.members.filter((member) => !tried.has(member));
    if (candidates.length === 0) return null;
    const best = Math.min(...candidates.map((member) => RANK[member.state]));
    const fewest = Math.min(...candidates.filter((member) => RANK[member.state] === best).map((member) => member.pending));
    const ties = candidates.filter((member) => RANK[member.state] === best && member.pending === fewest);
    this.turn = (this.turn + 1) % 1_000_000;
    return ties[this.turn % ties.length];
  }

  /** A connection to it failed: no request goes there until a health check finds it again. */
  markDown(member: Member): void {
    member.state = 'down';
  }

  /** Every member with its state and counts, for GET /gateway/upstreams. */
  snapshot(): Array<Omit<Member, 'key'> & { member: string }> {
    return this.members.map(({ key, ...rest }) => ({ member: key, ...rest }));
  }

  get size(): number {
    return this.members.length;
  }

  /**
   * Every address of every origin. A name that does not resolve this time (a compose service
   * whose replicas are all restarting) keeps the members it had; a member whose address is gone
   * is dropped (requests in flight to it finish on their own).
   */
  private async resolve(): Promise<void> {
    const found = new Map<string, { address: string; port: number }>();
    const known = new Set(this.members.map((member) => member.key));
    for (const origin of this.origins) {
      const port = Number(origin.port || 80);
      const host = origin.hostname.replace(/^\[|\]$/g, '');
      let addresses: string[];
      if (isIP(host)) addresses = [host];
      else {
        try {
          addresses = await this.resolver(host);
          this.resolved.set(origin.host, addresses);
        } catch {
          addresses = this.resolved.get(origin.host) ?? [];
        }
      }
      for (const address of addresses) found.set(`${address}:${port}`, { address, port });
    }
    const kept = this.members.filter((member) => found.has(member.key));
    for (const [key, { address, port }] of found) {
      if (!known.has(key)) kept.push({ key, address, port, state: 'up', pending: 0, served: 0, failed: 0 });
    }
    this.members = kept;
  }

  private async check(): Promise<void> {
    await Promise.all(
      this.members.map(async (member) => {
        member.state = await this.health(member);
      }),
    );
  }

  private health(member: Member): Promise<MemberState> {
    return new Promise((resolve) => {
      const probe = get({ host: member.address, port: member.port, path: '/health', agent: false, timeout: this.timing.healthTimeoutMs }, (answer) => {
        answer.resume();
        resolve(answer.statusCode === 200 ? 'up' : 'sick');
      });
      // Slow, not gone: a process busy with a rush may take its time to answer its check.
      let slow = false;
      probe.on('timeout', () => {
        slow = true;
        probe.destroy();
      });
      probe.on('error', () => resolve(slow ? 'sick' : 'down'));
    });
  }
}
