/**
 * Money is integer fen (1 yuan = 100 fen) everywhere: bigint columns in Postgres,
 * integer JSON fields whose names end in `Fen`. Nothing here touches floating point.
 */
export type Fen = number;


export function isFen(value: unknown): value is Fen {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function assertFen(value: unknown, field = 'amountFen'): Fen {
  if (!isFen(value)) {
    throw new RangeError(`${field} must be a non-negative safe integer number of fen`);
  }
  return value;
}

/** Parses a bigint column (pg returns it as text) into fen, refusing anything unsafe. */
export function fenFromColumn(value: string | number | null): Fen | null {
  if (value === null) return null;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`fen value ${String(value)} is not a safe integer`);
  }
  return n;
}

/** "12345" fen → "123.45" yuan, exact (string arithmetic, no float). */
export function fenToYuan(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.trunc(abs / 100);
  const rest = abs % 100;
  return `${sign}${yuan}.${rest.toString().padStart(2, '0')}`;
}
