// The fronts and the APIs on one origin: serves the built pages (web-dist/, `npm run build`)
// and forwards /api/<app>/… to that app, so the pages need no CORS at all. `npm start` runs it
// (WEB_PORT, 8080); in the compose file the same script runs as the `web` service.
//
//   /h5/ /till/ /console/     the three fronts (each a single page with hash routes)
//   /api/issuance/…           → ISSUANCE_UPSTREAM   (http://127.0.0.1:3001)
//   /api/merchant/…           → MERCHANT_UPSTREAM   (http://127.0.0.1:3002)
//   /api/redemption/…         → REDEMPTION_UPSTREAM (http://127.0.0.1:3003)
//   /api/settlement/…         → SETTLEMENT_UPSTREAM (http://127.0.0.1:3004)
//   /gateway/upstreams        each app's processes, their state and counts (from this machine only)
//
// An upstream setting may name several origins, and a name may resolve to several addresses
// (a compose service's replicas): the app's processes, balanced and checked by
// scripts/upstream-pool.ts. Which requests may be sent to a second process is `forward`'s rule.
//
// The apps see the resident's address in X-Forwarded-For; they believe it only from the
// addresses in their TRUST_PROXY setting (npm start sets it to this gateway's).
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEFAULT_POOL_TIMING, HostResolver, Member, parseOrigins, PoolTiming, resolveHost, UpstreamPool } from './upstream-pool';

export interface GatewayOptions {
  port: number;
  host: string;
  webRoot: string;
  /** Each app's origins (one per process, or a name that resolves to each of them). */
  upstreams: Record<string, URL[]>;
  timing?: PoolTiming;
  /** How host names become addresses (the system's resolver; tests give their own). */
  resolver?: HostResolver;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json']);
const FRONTS = ['h5', 'till', 'console'];
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];
/** Methods a second copy of which changes nothing the first did not. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/**
 * POSTs that answer a second copy with the first's result when both carry one Idempotency-Key:
 * the grab (its Lua script keeps the key beside the reservation, answers SAME with the first
 * voucher, and the vouchers table's unique (resident, key) backs it; DESIGN §5).
 */
const RESENT_POSTS = [{ app: 'issuance', route: /^\/v1\/rounds\/[^/?]+\/claims(\?|$)/ }];
/** Bodies held for a second try; a larger one is streamed to one process only. */
const BUFFERED_BODY_LIMIT = 1024 * 1024;
const CONNECT_TIMEOUT_MS = 3_000;
const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/** The security headers every page answer carries; the camera is allowed to the page itself. */
const PAGE_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'permissions-policy': 'camera=(self), geolocation=(self), microphone=()',
};

export function gatewayOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayOptions {
  const upstream = (name: string, port: number) => parseOrigins(env[`${name.toUpperCase()}_UPSTREAM`] ?? `http://127.0.0.1:${port}`);
  return {
    port: Number(env.WEB_PORT ?? 8080),
    host: env.WEB_HOST ?? '127.0.0.1',
    webRoot: resolve(env.WEB_ROOT ?? join(__dirname, '..', '..', 'web-dist')),
    upstreams: {
      issuance: upstream('issuance', Number(env.ISSUANCE_PORT ?? 3001)),
      merchant: upstream('merchant', Number(env.MERCHANT_PORT ?? 3002)),
      redemption: upstream('redemption', Number(env.REDEMPTION_PORT ?? 3003)),
      settlement: upstream('settlement', Number(env.SETTLEMENT_PORT ?? 3004)),
    },
  };
}

export async function startGateway(options: GatewayOptions): Promise<Server> {
  const files = new StaticFiles(options.webRoot);
  const pools = new Map(Object.entries(options.upstreams).map(([name, origins]) => [name, new UpstreamPool(name, origins, options.timing ?? DEFAULT_POOL_TIMING, options.resolver ?? resolveHost)]));
  await Promise.all([...pools.values()].map((pool) => pool.start()));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const api = /^\/api\/([a-z]+)(\/.*)?$/.exec(url.pathname);
    if (api) {
      const pool = pools.get(api[1]);
      if (!pool) return answerJson(res, 404, { code: 'ROUTE_NOT_FOUND', message: 'No such route' });
      return forward(req, res, pool, `${api[2] ?? '/'}${url.search}`);
    }
    if (url.pathname === '/gateway/upstreams' && LOOPBACK.test(req.socket.remoteAddress ?? '')) {
      return answerJson(res, 200, Object.fromEntries([...pools].map(([name, pool]) => [name, pool.snapshot()])));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return answerJson(res, 405, { code: 'METHOD_NOT_ALLOWED', message: 'Pages are read only' });
    void files.serve(url.pathname, req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.on('close', () => {
    for (const pool of pools.values()) pool.stop();
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolvePromise(server));
  });
}

/**
 * Sends the request to a member of the app's pool and pipes the answer back. A request the
 * gateway could not hand over (no connection to that member) goes to the next member, whatever
 * its method. One that was handed over but got no answer (the process died with it) is sent
 * again only where a second copy cannot do anything the first did not: reads, and the POSTs of
 * RESENT_POSTS when they carry an Idempotency-Key. Every other one answers 503, and the client
 * decides (the till sends the same scan again, with its order number). A body is held in memory
 * for that (up to BUFFERED_BODY_LIMIT); a larger or chunked one (a merchant import) is streamed,
 * to one member, once.
 */
function forward(req: IncomingMessage, res: ServerResponse, pool: UpstreamPool, path: string): void {
  const headers = { ...req.headers };
  for (const name of HOP_BY_HOP) delete headers[name];
  const client = req.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${String(headers['x-forwarded-for'])}, ${client}` : client;
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-host'] = req.headers.host ?? '';
  const length = Number(req.headers['content-length'] ?? 0);
  const streamed = req.headers['transfer-encoding'] !== undefined || !(length <= BUFFERED_BODY_LIMIT);
  const keyed = req.method === 'POST' && req.headers['idempotency-key'] !== undefined;
  const resendable = SAFE_METHODS.has(req.method ?? '') || (keyed && RESENT_POSTS.some(({ app, route }) => app === pool.name && route.test(path)));
  const attempt: Attempt = { req, res, pool, path, headers, tried: new Set(), resendable };
  if (streamed) return send(attempt, null);
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => send(attempt, Buffer.concat(chunks)));
}

interface Attempt {
  req: IncomingMessage;
  res: ServerResponse;
  pool: UpstreamPool;
  path: string;
  headers: IncomingMessage['headers'];
  /** Members this request went to and got nothing from. */
  tried: Set<Member>;
  resendable: boolean;
}

/** Sends to the next member; `body` null streams the request itself (no second try). */
function send(attempt: Attempt, body: Buffer | null): void {
  const { req, res, pool } = attempt;
  const member = pool.pick(attempt.tried);
  if (!member || res.destroyed) return unavailable(res);
  member.pending += 1;
  let settled = false;
  const done = () => {
    if (settled) return;
    settled = true;
    member.pending -= 1;
  };
  const upstream = request({ host: member.address, port: member.port, method: req.method, path: attempt.path, headers: attempt.headers }, (answer) => {
    member.served += 1;
    const answerHeaders = { ...answer.headers };
    for (const name of HOP_BY_HOP) delete answerHeaders[name];
    res.writeHead(answer.statusCode ?? 502, answerHeaders);
    answer.pipe(res);
    answer.on('end', done);
    answer.on('close', done);
  });
  let handedOver = false;
  upstream.on('socket', (socket) => {
    if (!socket.connecting) {
      handedOver = true;
      return;
    }
    // A member that does not take the connection (its address gone quiet) is skipped, not waited for.
    const timer = setTimeout(() => upstream.destroy(Object.assign(new Error('connect timed out'), { code: 'ECONNTIMEOUT' })), CONNECT_TIMEOUT_MS);
    socket.once('connect', () => {
      clearTimeout(timer);
      handedOver = true;
    });
    socket.once('close', () => clearTimeout(timer));
  });
  upstream.on('error', () => {
    done();
    member.failed += 1;
    if (res.headersSent) return res.destroy();
    if (!handedOver) pool.markDown(member);
    attempt.tried.add(member);
    if (body !== null && (!handedOver || attempt.resendable)) return send(attempt, body);
    unavailable(res);
  });
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  if (body === null) req.pipe(upstream);
  else upstream.end(body);
}

/** No member could take it: the pages treat this like any 503 and come back. */
function unavailable(res: ServerResponse): void {
  if (res.headersSent || res.destroyed) return;
  answerJson(res, 503, { code: 'SERVICE_UNAVAILABLE', message: 'The service is not answering; try again shortly' }, { 'retry-after': '2' });
}

function answerJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

interface CachedFile {
  body: Buffer;
  gzipped: Buffer | null;
  mtimeMs: number;
}

/** The built pages, read once and kept with their gzip (they change only with a build). */
class StaticFiles {
  private readonly cache = new Map<string, CachedFile>();

  constructor(private readonly root: string) {}

  async serve(pathname: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (pathname === '/' || pathname === '') return redirect(res, '/h5/');
    const front = FRONTS.find((name) => pathname === `/${name}`);
    if (front) return redirect(res, `/${front}/`);
    const relative = pathname.endsWith('/') ? `${pathname}index.html` : pathname;
    const path = safeJoin(this.root, relative);
    if (path === null) return answerJson(res, 404, { code: 'ROUTE_NOT_FOUND', message: 'No such page' });
    const file = await this.read(path);
    if (!file) return answerJson(res, 404, { code: 'ROUTE_NOT_FOUND', message: 'No such page' });
    const ext = extname(path);
    const gzip = file.gzipped !== null && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? (file.gzipped as Buffer) : file.body;
    res.writeHead(200, {
      ...PAGE_HEADERS,
      'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
      'content-length': body.length,
      // Hashed asset names never change content; the pages themselves are checked each time.
      'cache-control': pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      vary: 'accept-encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  private async read(path: string): Promise<CachedFile | null> {
    try {
      const info = await stat(path);
      if (!info.isFile()) return null;
      const cached = this.cache.get(path);
      if (cached && cached.mtimeMs === info.mtimeMs) return cached;
      const body = await readFile(path);
      const file = { body, gzipped: COMPRESSIBLE.has(extname(path)) ? gzipSync(body) : null, mtimeMs: info.mtimeMs };
      this.cache.set(path, file);
      return file;
    } catch {
      return null;
    }
  }
}

/** The file under root a request path names, or null when it would step outside root. */
function safeJoin(root: string, requestPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const path = normalize(join(root, decoded));
  return path.startsWith(root + sep) ? path : null;
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, 'cache-control': 'no-cache' });
  res.end();
}

if (require.main === module) {
  const options = gatewayOptionsFromEnv();
  const empty = Object.entries(options.upstreams).find(([, origins]) => origins.length === 0);
  if (empty) {
    console.error(`web gateway: ${empty[0].toUpperCase()}_UPSTREAM names no origin`);
    process.exit(1);
  }
  startGateway(options).then(
    () => console.log(`web gateway on http://${options.host}:${options.port}/ (pages from ${options.webRoot})`),
    (error: Error) => {
      console.error(`web gateway: ${error.message}`);
      process.exit(1);
    },
  );
}
