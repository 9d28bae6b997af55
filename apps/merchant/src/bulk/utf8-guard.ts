import { AppError, CommonErrorCode } from '@vouchers/common';
import { Transform, TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';
import { ImportErrorCode } from './import-errors';

/**
 * Passes the bytes of an upload through unchanged, refusing it as soon as they stop being
 * UTF-8 (a spreadsheet saved as GBK, say) or pass the byte limit. Fastify does not enforce
 * bodyLimit on a streamed body, so the count is kept here.
 */
export class Utf8Guard extends Transform {
  // fatal: an invalid sequence throws instead of becoming U+FFFD; stream: a character cut
  // between two chunks is held back until the next one, and flagged only if the body ends on it.
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private bytes = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      callback(new AppError(CommonErrorCode.PayloadTooLarge, `The file is larger than ${this.maxBytes / 1024 / 1024} MB`));
      return;
    }
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      callback(notUtf8(this.bytes - chunk.length));
      return;
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.decoder.decode();
    } catch {
      callback(notUtf8(this.bytes));
      return;
    }
    callback();
  }
}

function notUtf8(afterByte: number): AppError {
  return new AppError(ImportErrorCode.NotUtf8, 'The file is not UTF-8 text; save it as "CSV UTF-8" and send it again', {
    afterByte,
  });
}
