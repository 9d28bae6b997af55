import { Writable } from 'node:stream';

export interface AccessLine {
  app: string;
  context: string;
  requestId: string;
  method: string;
  route: string | null;
  path: string;
  status: number;
  durationMs: number;
  msg: string;
}

/** An app's log output, read back as JSON lines (the stream bootApp puts in place of stdout). */
export class LogCapture extends Writable {
  readonly lines: Array<Record<string, unknown>> = [];

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const text of chunk.toString('utf8').split('\n')) if (text !== '') this.lines.push(JSON.parse(text));
    done();
  }

  accessLines(): AccessLine[] {
    return this.lines.filter((line) => line.context === 'Access') as unknown as AccessLine[];
  }

  /**
   * The access lines of one request id. Fastify writes its line once the answer has gone out,
   * which the client may see first: wait up to `waitMs` for one, then a little more for a second.
   */
  async linesOf(requestId: string, waitMs = 2000): Promise<AccessLine[]> {
    const matching = () => this.accessLines().filter((line) => line.requestId === requestId);
    for (let waited = 0; matching().length === 0 && waited < waitMs; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 30));
    return matching();
  }
}
