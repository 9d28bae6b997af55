import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { requestIdOf } from './request-id';

function rawRequest(headers: Record<string, string>): IncomingMessage {
  const request = new IncomingMessage(new Socket());
  request.headers = headers;
  return request;
}

describe('requestIdOf', () => {
  it("keeps a caller's sane id and gives the same id every time it is asked", () => {
    const request = rawRequest({ 'x-request-id': 'pos-17:abc' });
    expect(requestIdOf(request)).toBe('pos-17:abc');
    expect(requestIdOf({ raw: request })).toBe('pos-17:abc');
  });

  it('replaces an id that could forge log lines', () => {
    const request = rawRequest({ 'x-request-id': 'abc\n{"level":60}' });
    const id = requestIdOf(request);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdOf(request)).toBe(id);
  });
});
