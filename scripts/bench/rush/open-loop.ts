/**
 * An open-loop HTTP/1.1 load: each request goes out at its scheduled time (or as soon as one
 * of the keep-alive connections is free, when all are busy: the rush's queue of people
 * waiting), not when the previous answer came back, so the arrivals keep the shape of the
 * opening whatever the server does. autocannon paces a constant rate at best; this paces any.
 *
 * Sockets are written and read by hand (no http.Agent): the generator shares the two cores
 * with what it measures, and a request costs it a Buffer and a few string searches. Answers
 * must carry a content-length (the apps' raw routes and node:http's do); connections are
 * opened before the clock starts, so no answer carries a connect.
 */
import net from 'node:net';

export interface OpenLoopOptions {
  /** Ports on 127.0.0.1; connection i goes to ports[i % ports.length] (N processes, one port each). */
  ports: number[];
  connections: number;
  /** When each request is due, ms after the start, ascending. */
  dueMs: Float64Array;
  /** The bytes of request i, for a connection to `host` (host:port). */
  request: (i: number, host: string) => Buffer;
  /** Request i's answer: status (0 when its connection failed), body, and when it was sent and answered (ms after the start). */
  onAnswer: (i: number, status: number, body: string, sentMs: number, answeredMs: number) => void;
}

export interface OpenLoopRun {
  /** From the start to the last answer, ms. */
  durationMs: number;
  /** Requests sent after their due time because every connection was busy: how many, and the worst wait (ms). */
  queued: number;
  maxQueueMs: number;
  socketErrors: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * A connection idle this long is opened again before its next request. The apps answer 408
 * and close when a request's headers take more than HTTP_HEADERS_TIMEOUT_MS (10 s), and
 * node:http counts that from the end of the previous answer on a kept-alive connection: in a
 * rush's quiet tail a connection idle for longer got a 408 for the grab it then sent.
 */
const REOPEN_IDLE_MS = 5_000;

class Connection {
  socket!: net.Socket;
  pending: Buffer | null = null;
  request = -1;
  sentMs = 0;
  idleSinceMs = 0;
  /** Closed by the load itself (idle too long), to be opened again: not a socket error. */
  reopening = false;

  constructor(
    readonly port: number,
    readonly host: string,
  ) {}
}

function open(connection: Connection): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: connection.port, noDelay: true });
    socket.once('connect', () => resolve());
    socket.once('error', reject);
    connection.socket = socket;
    connection.pending = null;
  });
}

export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopRun> {
  const { dueMs, request, onAnswer } = options;
  const total = dueMs.length;
  const connections = Array.from({ length: options.connections }, (_, i) => {
    const port = options.ports[i % options.ports.length];
    return new Connection(port, `127.0.0.1:${port}`);
  });
  await Promise.all(connections.map(open));

  let start = 0;
  const now = () => performance.now() - start;
  let next = 0;
  let answered = 0;
  let queued = 0;
  let maxQueueMs = 0;
  let socketErrors = 0;
  let lastAnswerMs = 0;
  let timer: NodeJS.Timeout | null = null;
  const free: Connection[] = [];
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const send = (connection: Connection, i: number, at: number) => {
    const late = at - dueMs[i];
    if (late > 5) {
      queued += 1;
      maxQueueMs = Math.max(maxQueueMs, late);
    }
    connection.request = i;
    connection.sentMs = at;
    connection.socket.write(request(i, connection.host));
  };
  const pump = () => {
    if (timer) return;
    const at = now();
    while (next < total && free.length > 0 && dueMs[next] <= at) send(free.pop()!, next++, at);
    if (next < total && free.length > 0) {
      timer = setTimeout(() => {
        timer = null;
        pump();
      }, dueMs[next] - at);
    }
  };
  const answer = (connection: Connection, status: number, body: string) => {
    const i = connection.request;
    connection.request = -1;
    lastAnswerMs = now();
    connection.idleSinceMs = lastAnswerMs;
    onAnswer(i, status, body, connection.sentMs, lastAnswerMs);
    answered += 1;
    if (answered === total) finish();
  };
  const release = (connection: Connection) => {
    free.push(connection);
    if (next < total && dueMs[next] <= now()) send(free.pop()!, next++, now());
  };

  const listen = (connection: Connection) => {
    connection.socket.on('data', (chunk: Buffer) => {
      // Bytes with no request in flight (a server's 408 before it closes an idle connection) answer nothing.
      if (connection.request < 0) return;
      let data = connection.pending ? Buffer.concat([connection.pending, chunk]) : chunk;
      for (;;) {
        const headerEnd = data.indexOf(HEADER_END);
        if (headerEnd < 0) break;
        const head = data.toString('latin1', 0, headerEnd).toLowerCase();
        const lengthAt = head.indexOf('\r\ncontent-length:');
        if (lengthAt < 0) throw new Error(`an answer without content-length: ${head.slice(0, 200)}`);
        const lineEnd = head.indexOf('\r\n', lengthAt + 17);
        const length = parseInt(head.slice(lengthAt + 17, lineEnd < 0 ? undefined : lineEnd), 10);
        const end = headerEnd + 4 + length;
        if (data.length < end) break;
        const status = parseInt(head.slice(9, 12), 10);
        const body = data.toString('utf8', headerEnd + 4, end);
        data = data.subarray(end);
        answer(connection, status, body);
        release(connection);
      }
      connection.pending = data.length > 0 ? data : null;
    });
    connection.socket.on('error', () => undefined);
    connection.socket.once('close', () => {
      if (answered === total) return;
      if (connection.reopening) connection.reopening = false;
      else socketErrors += 1;
      if (connection.request >= 0) answer(connection, 0, '');
      const at = free.indexOf(connection);
      if (at >= 0) free.splice(at, 1);
      if (answered === total) return;
      // A new socket in its place: the rush goes on.
      open(connection).then(
        () => {
          listen(connection);
          connection.idleSinceMs = now();
          release(connection);
        },
        () => undefined,
      );
    });
  };

  for (const connection of connections) {
    listen(connection);
    free.push(connection);
  }
  start = performance.now();
  pump();
  // Answers free connections (release); the timer covers requests not yet due.
  const keepPumping = setInterval(pump, 1);
  const reopenIdle = setInterval(() => {
    const at = now();
    for (let k = free.length - 1; k >= 0; k--) {
      const connection = free[k];
      if (at - connection.idleSinceMs < REOPEN_IDLE_MS) continue;
      free.splice(k, 1);
      connection.reopening = true;
      connection.socket.destroy();
    }
  }, 1_000);
  await finished;
  clearInterval(keepPumping);
  clearInterval(reopenIdle);
  if (timer) clearTimeout(timer);
  for (const connection of connections) connection.socket.destroy();
  return { durationMs: lastAnswerMs, queued, maxQueueMs: Math.round(maxQueueMs), socketErrors };
}
