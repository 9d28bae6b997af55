/**
 * The web gateway in front of several processes of one app (scripts/web-gateway.ts,
 * scripts/upstream-pool.ts), against stand-in apps on node:http: it spreads requests over the
 * processes, goes around one that takes no connection, and sends a request a process took and
 * never answered to another only where a second copy is harmless: reads and keyed grabs.
 */
import { AddressInfo } from 'node:net';
import { createServer, IncomingMessage, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { startGateway } from '../scripts/web-gateway';

interface StandIn {
  server: Server;
  origin: URL;
  /** Requests that reached it, as "METHOD path". */
  seen: string[];
}

/**
 * A stand-in app: /health 200; otherwise `behave` answers, or returns false to drop the
 * connection unanswered. On 127.0.0.1 and any free port unless told.
 */
async function standIn(name: string, behave: (req: IncomingMessage) => boolean = () => true, host = '127.0.0.1', port = 0): Promise<StandIn> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    if (req.url === '/health') return res.end('{"status":"ok"}');
    seen.push(`${req.method} ${req.url}`);
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (!behave(req)) return req.socket.destroy();
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ by: name, body }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return { server, origin: new URL(`http://${host}:${(server.address() as AddressInfo).port}`), seen };
}

/** A port nothing listens on: a process that is gone. */
async function deadOrigin(): Promise<URL> {
  const gone = await standIn('gone');
  await new Promise((resolve) => gone.server.close(resolve));
  return gone.origin;
}

async function gatewayFor(upstreams: Record<string, URL[]>, resolver?: (host: string) => Promise<string[]>): Promise<{ server: Server; base: string }> {
  const server = await startGateway({
    port: 0,
    host: '127.0.0.1',
    webRoot: tmpdir(),
    upstreams,
    resolver,
    timing: { healthEveryMs: 100, healthTimeoutMs: 2_000, resolveEveryMs: 1_000 },
  });
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const close = (server: Server) => new Promise((resolve) => server.close(resolve));

describe('the web gateway before several processes of an app', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => (server.closeAllConnections(), close(server))));
  });

  it('spreads requests over every process', async () => {
    const [a, b] = await Promise.all([standIn('a'), standIn('b')]);
    const gateway = await gatewayFor({ issuance: [a.origin, b.origin] });
    servers.push(a.server, b.server, gateway.server);
    for (let i = 0; i < 20; i++) expect((await fetch(`${gateway.base}/api/issuance/v1/campaigns`)).status).toBe(200);
    // In turn while both are up and idle: 10 each, give or take a health check that came late.
    expect(a.seen.length).toBeGreaterThanOrEqual(3);
    expect(b.seen.length).toBeGreaterThanOrEqual(3);
    expect(a.seen.length + b.seen.length).toBe(20);
  });

  it('goes around a process that takes no connection, a POST included, and shows it down', async () => {
    const live = await standIn('live');
    const gateway = await gatewayFor({ redemption: [await deadOrigin(), live.origin] });
    servers.push(live.server, gateway.server);
    for (let i = 0; i < 10; i++) {
      const answer = await fetch(`${gateway.base}/api/redemption/v1/redemptions`, { method: 'POST', body: `{"n":${i}}`, headers: { 'content-type': 'application/json' } });
      expect(answer.status).toBe(201);
      // The body went along, whichever process took it.
      expect(await answer.json()).toEqual({ by: 'live', body: `{"n":${i}}` });
    }
    const upstreams = (await (await fetch(`${gateway.base}/gateway/upstreams`)).json()) as Record<string, Array<{ port: number; state: string }>>;
    expect(upstreams.redemption.map((member) => member.state).sort()).toEqual(['down', 'up']);
  });

  it('sends a keyed grab that a dying process took to another, and answers 503 for a redemption or an unkeyed grab', async () => {
    // `dying` takes each request and drops it unanswered, as a process killed mid-request does.
    const [dying, healthy] = await Promise.all([standIn('dying', () => false), standIn('healthy')]);
    const gateway = await gatewayFor({ issuance: [dying.origin, healthy.origin], redemption: [dying.origin, healthy.origin] });
    servers.push(dying.server, healthy.server, gateway.server);
    const grab = (key?: string) =>
      fetch(`${gateway.base}/api/issuance/v1/rounds/7d3c1c8e-0000-4000-8000-000000000001/claims`, { method: 'POST', headers: key ? { 'idempotency-key': key } : {} });

    const keyed = await Promise.all(Array.from({ length: 10 }, (_, i) => grab(`key-${i}-abcdef`)));
    expect(keyed.map((answer) => answer.status)).toEqual(Array(10).fill(201));
    expect(dying.seen.length).toBeGreaterThan(0);

    dying.seen.length = 0;
    healthy.seen.length = 0;
    const unkeyed = await Promise.all(Array.from({ length: 10 }, () => grab()));
    const redemptions = await Promise.all(
      Array.from({ length: 10 }, (_, i) => fetch(`${gateway.base}/api/redemption/v1/redemptions`, { method: 'POST', body: `{"n":${i}}` })),
    );
    for (const answers of [unkeyed, redemptions]) {
      const statuses = answers.map((answer) => answer.status);
      // Each went to one process only: an answer from the healthy one, or 503 from the one that dropped it.
      expect(statuses.every((status) => status === 201 || status === 503)).toBe(true);
      expect(statuses.filter((status) => status === 503).length).toBeGreaterThan(0);
    }
    const refused = [...unkeyed, ...redemptions].filter((answer) => answer.status === 503);
    expect(dying.seen.length).toBe(refused.length);
    expect(healthy.seen.length).toBe(20 - refused.length);
    expect(refused[0].headers.get('retry-after')).toBe('2');
    expect(await refused[0].json()).toEqual({ code: 'SERVICE_UNAVAILABLE', message: expect.any(String) });
  });

  it('takes every address a name resolves to as a process, and follows the name as replicas come and go', async () => {
    // Two replicas on one port, each at an address of its own, as compose runs them (127.0.0.2 and .3 are loopback too).
    const first = await standIn('first', () => true, '127.0.0.2');
    const second = await standIn('second', () => true, '127.0.0.3', Number(first.origin.port));
    servers.push(first.server, second.server);
    let replicas = ['127.0.0.2', '127.0.0.3'];
    const gateway = await gatewayFor({ issuance: [new URL(`http://issuance.replicas:${first.origin.port}`)] }, async (host) => {
      if (host !== 'issuance.replicas') throw new Error(`unexpected lookup of ${host}`);
      return replicas;
    });
    servers.push(gateway.server);
    const some = async (n: number) => {
      for (let i = 0; i < n; i++) expect((await fetch(`${gateway.base}/api/issuance/v1/campaigns`)).status).toBe(200);
    };
    await some(10);
    expect(first.seen.length).toBeGreaterThan(0);
    expect(second.seen.length).toBeGreaterThan(0);
    expect(first.seen.length + second.seen.length).toBe(10);

    // The second replica goes away (scaled down): once the name no longer lists it, nothing goes there.
    replicas = ['127.0.0.2'];
    // The name is read again every second (resolveEveryMs); a loaded machine may read it late, so wait for the pool to show it.
    const members = async () =>
      ((await (await fetch(`${gateway.base}/gateway/upstreams`)).json()) as Record<string, Array<{ member: string }>>).issuance.map((member) => member.member);
    const deadline = Date.now() + 10_000;
    while ((await members()).length > 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await members()).toEqual([`127.0.0.2:${first.origin.port}`]);
    second.seen.length = 0;
    await some(6);
    expect(second.seen).toEqual([]);
  });

  it('shows each process with its counts at /gateway/upstreams', async () => {
    const a = await standIn('a');
    const gateway = await gatewayFor({ issuance: [a.origin] });
    servers.push(a.server, gateway.server);
    const upstreams = await (await fetch(`${gateway.base}/gateway/upstreams`)).json();
    expect(upstreams).toEqual({ issuance: [expect.objectContaining({ member: `127.0.0.1:${a.origin.port}`, served: 0, pending: 0 })] });
  });
});
