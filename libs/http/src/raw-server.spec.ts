import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { readJsonBody } from './raw-body';
import { RawServer } from './raw-server';

/** A RawServer on a real port: raw routes answer what they matched, everything else is "fastify". */
async function listen(raw: RawServer): Promise<{ url: string; server: Server }> {
  const server = raw.serverFactory((_request, response) => response.writeHead(404).end('fastify'), {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('RawServer', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const raw = new RawServer();
    raw.add('POST', '/v1/rounds/:roundId/claims', (_request, response, params) => response.end(JSON.stringify(params)));
    raw.add('POST', '/v1/echo', (request, response) => {
      readJsonBody(request, 64).then(
        (body) => response.end(JSON.stringify({ body: body ?? null })),
        (error: { status: number; code: string }) => response.writeHead(error.status).end(error.code),
      );
    });
    ({ server, url } = await listen(raw));
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const post = (path: string, init: RequestInit = {}) => fetch(`${url}${path}`, { method: 'POST', ...init });

  it('serves a matching method and path itself, with the parameter decoded and the query ignored', async () => {
    const response = await post('/v1/rounds/a%20b/claims?x=1');
    expect([response.status, await response.json()]).toEqual([200, { roundId: 'a b' }]);
  });

  it('leaves another method, another shape, an empty or undecodable parameter to Fastify', async () => {
    const paths = ['/v1/rounds/abc/claims/', '/v1/rounds//claims', '/v1/rounds/%E0%A4%A/claims', '/v1/rounds/abc', '/v2/rounds/abc/claims'];
    for (const path of paths) expect([path, await (await post(path)).text()]).toEqual([path, 'fastify']);
    expect(await (await fetch(`${url}/v1/rounds/abc/claims`)).text()).toBe('fastify');
  });

  it('reads a JSON body, or none, as Fastify would', async () => {
    const json = { 'content-type': 'application/json; charset=utf-8' };
    const answers = [
      await post('/v1/echo', { headers: json, body: '{"a":1}' }),
      await post('/v1/echo'),
      await post('/v1/echo', { headers: { 'content-type': 'text/plain' }, body: '{"a":1}' }),
      await post('/v1/echo', { headers: json, body: '{"a":' }),
      await post('/v1/echo', { headers: json, body: JSON.stringify({ a: 'x'.repeat(100) }) }),
    ];
    expect(await Promise.all(answers.map(async (r) => [r.status, await r.text()]))).toEqual([
      [200, '{"body":{"a":1}}'],
      [200, '{"body":null}'],
      [415, 'UNSUPPORTED_MEDIA_TYPE'],
      [400, 'MALFORMED_REQUEST'],
      [413, 'PAYLOAD_TOO_LARGE'],
    ]);
  });

  it('refuses a chunked body that grows past the limit while it is read', async () => {
    const body = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode('          '));
        controller.close();
      },
    });
    const response = await post('/v1/echo', { headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    expect([response.status, await response.text()]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });
});
