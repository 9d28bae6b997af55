// The fronts and the APIs on one origin: serves the built pages (web-dist/, `npm run build`)
// and forwards /api/<app>/… to that app, so the pages need no CORS at all. `npm start` runs it
// (WEB_PORT, 8080); in the compose file the same script runs as the `web` service.
//
//   /h5/ /till/ /console/     the three fronts (each a single page with hash routes)
//   /api/issuance/…           → ISSUANCE_UPSTREAM   (http://127.0.0.1:3001)
//   /api/merchant/…           → MERCHANT_UPSTREAM   (http://127.0.0.1:3002)
//   /api/redemption/…         → REDEMPTION_UPSTREAM (http://127.0.0.1:3003)
//   /api/settlement/…         → SETTLEMENT_UPSTREAM (http://127.0.0.1:3004)
//
// The apps see the resident's address in X-Forwarded-For; they believe it only from the
// addresses in their TRUST_PROXY setting (npm start sets it to this gateway's).
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface GatewayOptions {
  port: number;
  host: string;
  webRoot: string;
  upstreams: Record<string, URL>;
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

/** The security headers every page answer carries; the camera is allowed to the page itself. */
const PAGE_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'permissions-policy': 'camera=(self), geolocation=(self), microphone=()',
};

export function gatewayOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayOptions {
  const upstream = (name: string, port: number) => new URL(env[`${name.toUpperCase()}_UPSTREAM`] ?? `http://127.0.0.1:${port}`);
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

export function startGateway(options: GatewayOptions): Promise<Server> {
  const files = new StaticFiles(options.webRoot);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const api = /^\/api\/([a-z]+)(\/.*)?$/.exec(url.pathname);
    if (api) {
      const target = options.upstreams[api[1]];
      if (!target) return answerJson(res, 404, { code: 'ROUTE_NOT_FOUND', message: 'No such route' });
      return forward(req, res, target, `${api[2] ?? '/'}${url.search}`);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return answerJson(res, 405, { code: 'METHOD_NOT_ALLOWED', message: 'Pages are read only' });
    void files.serve(url.pathname, req, res);
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolvePromise(server));
  });
}

function forward(req: IncomingMessage, res: ServerResponse, target: URL, path: string): void {
  const headers = { ...req.headers };
  for (const name of HOP_BY_HOP) delete headers[name];
  const client = req.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${String(headers['x-forwarded-for'])}, ${client}` : client;
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-host'] = req.headers.host ?? '';
  const upstream = request({ hostname: target.hostname, port: target.port, method: req.method, path, headers }, (answer) => {
    const answerHeaders = { ...answer.headers };
    for (const name of HOP_BY_HOP) delete answerHeaders[name];
    res.writeHead(answer.statusCode ?? 502, answerHeaders);
    answer.pipe(res);
  });
  upstream.on('error', () => {
    if (res.headersSent) return res.destroy();
    // The app is restarting or not up yet: the pages treat this like any 503 and come back.
    answerJson(res, 503, { code: 'SERVICE_UNAVAILABLE', message: 'The service is not answering; try again shortly' }, { 'retry-after': '2' });
  });
  req.on('aborted', () => upstream.destroy());
  req.pipe(upstream);
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
  startGateway(options).then(
    () => console.log(`web gateway on http://${options.host}:${options.port}/ (pages from ${options.webRoot})`),
    (error: Error) => {
      console.error(`web gateway: ${error.message}`);
      process.exit(1);
    },
  );
}
