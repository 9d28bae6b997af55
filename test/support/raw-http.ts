import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Upload {
  port: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The body is sent in pieces of this, one every `everyMs` (0: as fast as the socket takes them). */
  piece: string;
  everyMs: number;
  /** Body bytes to send in all; `content-length` declares them unless `chunked`. */
  totalBytes: number;
  chunked?: boolean;
  /** Headers sent a byte every `everyMs` instead, and no body (a client slow to send its headers). */
  slowHeaders?: boolean;
  /** How long to wait for an answer or a close before giving up. */
  giveUpMs: number;
}

export interface Exchange {
  /** The status of the answer, null if none came. */
  status: number | null;
  /** Its JSON body, when it had one. */
  body: { code?: string; requestId?: string } | null;
  headers: Record<string, string>;
  /** Body bytes written before the answer or the close stopped the upload. */
  sentBytes: number;
  /** Whether every byte of the upload was written. */
  finishedSending: boolean;
  /** Whether the server closed the connection (within giveUpMs). */
  closedByServer: boolean;
  /** Milliseconds from connecting to the answer (or the close), null if neither came. */
  answeredAfterMs: number | null;
}

function parseAnswer(raw: string): Pick<Exchange, 'status' | 'body' | 'headers'> {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return { status: null, body: null, headers: {} };
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  let body: Exchange['body'];
  try {
    body = JSON.parse(raw.slice(end + 4)) as Exchange['body'];
  } catch {
    body = null;
  }
  return { status: Number(statusLine.split(' ')[1]), body, headers };
}

/**
 * One request over a bare TCP connection, its body (or headers) sent at a pace the test sets,
 * stopping as soon as the server answers or closes: what a slow or hostile client does, which
 * fetch and supertest cannot (they send the whole body before reading the answer).
 */
export async function upload(u: Upload): Promise<Exchange> {
  const socket = connect(u.port, '127.0.0.1');
  socket.setNoDelay(true);
  const started = Date.now();
  let received = '';
  let answeredAt: number | null = null;
  let closed = false;
  socket.on('data', (data: Buffer) => {
    received += data.toString('latin1');
    if (answeredAt === null && received.includes('\r\n\r\n')) answeredAt = Date.now();
  });
  socket.on('error', () => undefined);
  socket.on('close', () => {
    closed = true;
    answeredAt ??= Date.now();
  });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));

  const stopped = () => answeredAt !== null || closed || Date.now() - started > u.giveUpMs;
  const write = async (data: string) => {
    // A server that stops reading and keeps the connection never drains it: wait no longer than giveUpMs.
    if (!socket.write(data, 'latin1')) {
      await Promise.race([
        new Promise((resolve) => socket.once('drain', resolve).once('close', resolve)),
        sleep(Math.max(0, u.giveUpMs - (Date.now() - started))),
      ]);
    }
  };
  const framing = u.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(u.totalBytes) };
  const head =
    `${u.method} ${u.path} HTTP/1.1\r\nhost: 127.0.0.1\r\n` +
    Object.entries({ ...(u.slowHeaders ? {} : framing), ...u.headers })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('') +
    (u.slowHeaders ? '' : '\r\n');

  let sentBytes = 0;
  let finishedSending = false;
  if (u.slowHeaders) {
    await write(head);
    // Header lines that never end: one byte at a time.
    while (!stopped()) {
      await write('x');
      await sleep(u.everyMs);
    }
  } else {
    await write(head);
    while (!stopped() && sentBytes < u.totalBytes) {
      const piece = u.piece.slice(0, u.totalBytes - sentBytes);
      await write(u.chunked ? `${piece.length.toString(16)}\r\n${piece}\r\n` : piece);
      sentBytes += piece.length;
      if (u.everyMs > 0) await sleep(u.everyMs);
    }
    if (sentBytes >= u.totalBytes && !closed) {
      if (u.chunked) await write('0\r\n\r\n');
      finishedSending = true;
    }
  }
  while (!closed && Date.now() - started < u.giveUpMs) {
    // After an answer, a moment for the server to close the connection (or not).
    if (answeredAt !== null && Date.now() - answeredAt > 500) break;
    await sleep(10);
  }
  socket.destroy();
  return {
    ...parseAnswer(received),
    sentBytes,
    finishedSending,
    closedByServer: closed,
    answeredAfterMs: answeredAt === null ? null : answeredAt - started,
  };
}
