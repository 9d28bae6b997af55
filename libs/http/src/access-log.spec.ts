import type { AppConfig } from '@vouchers/config';
import { AccessLog } from './access-log';

function accessLog(logLevel: AppConfig['logLevel'] = 'info') {
  const lines: string[] = [];
  const destination = { write: (line: string) => lines.push(line), flushSync: jest.fn() };
  const log = new AccessLog({ logLevel } as AppConfig, destination, 'issuance');
  return { log, lines, destination, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('AccessLog', () => {
  it("writes one JSON line per request, in the shape of the app's pino lines", () => {
    const { log, lines, parsed } = accessLog();
    const before = Date.now();
    log.write('pos-17:abc', 'POST', '/v1/rounds/:roundId/claims', '/v1/rounds/r1/claims?x=1', 201, 1.23456);
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('}\n')).toBe(true);
    expect(parsed()).toEqual([
      {
        level: 30,
        time: expect.any(Number),
        app: 'issuance',
        context: 'Access',
        requestId: 'pos-17:abc',
        method: 'POST',
        route: '/v1/rounds/:roundId/claims',
        path: '/v1/rounds/r1/claims',
        status: 201,
        durationMs: 1.235,
        msg: 'request',
      },
    ]);
    expect(parsed()[0].time).toBeGreaterThanOrEqual(before);
  });

  it('keeps a line one valid line whatever the path holds, and cuts a long one', () => {
    const { log, lines, parsed } = accessLog();
    const hostile = '/a"b\\c\nd\u0000e/中文/\u2028{"level":60}';
    log.write('id', 'GET', null, hostile, 404, 0.5);
    log.write('id', 'GET', null, `/${'x'.repeat(1000)}`, 404, Number.NaN);
    expect(lines.every((line) => line.indexOf('\n') === line.length - 1)).toBe(true);
    const [first, second] = parsed();
    expect(first).toMatchObject({ route: null, path: hostile, level: 30 });
    expect(second).toMatchObject({ durationMs: null });
    expect((second.path as string).length).toBe(256);
  });

  it('writes nothing when the log level is above info', () => {
    for (const level of ['warn', 'error', 'silent'] as const) {
      const { log, lines } = accessLog(level);
      log.write('id', 'GET', '/v1/campaigns', '/v1/campaigns', 500, 1);
      expect(lines).toEqual([]);
    }
    const { log, lines } = accessLog('debug');
    log.write('id', 'GET', '/v1/campaigns', '/v1/campaigns', 200, 1);
    expect(lines).toHaveLength(1);
  });

  it('samples successful answers only, at the share given', () => {
    const { log, parsed } = accessLog();
    for (const status of [200, 201, 302, 400, 409, 499, 503]) log.write(`s${status}`, 'POST', '/r', '/r', status, 1, 0);
    expect(parsed().map((line) => line.status)).toEqual([400, 409, 499, 503]);

    const random = jest.spyOn(Math, 'random');
    try {
      const sampled = accessLog();
      random.mockReturnValueOnce(0.09).mockReturnValueOnce(0.11);
      sampled.log.write('in', 'POST', '/r', '/r', 201, 1, 0.1);
      sampled.log.write('out', 'POST', '/r', '/r', 201, 1, 0.1);
      sampled.log.write('always', 'POST', '/r', '/r', 201, 1);
      expect(sampled.parsed().map((line) => line.requestId)).toEqual(['in', 'always']);
    } finally {
      random.mockRestore();
    }
  });

  it('flushes its destination when the app shuts down', () => {
    const { log, destination } = accessLog();
    log.onApplicationShutdown();
    expect(destination.flushSync).toHaveBeenCalledTimes(1);
  });
});
