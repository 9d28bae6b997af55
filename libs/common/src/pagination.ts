import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { AppError, CommonErrorCode } from './errors';
import { isCalendarDate } from './business-day';
import { isPublicId } from './ids';

/**
 * Keyset pagination: the cursor carries the sort key of the last row served, so a page
 * costs one index range scan however deep the reader goes, and rows inserted meanwhile
 * neither repeat nor vanish.
 */
export class PageQueryDto {
  @ApiPropertyOptional({ description: 'Items per page, 1-200', default: 20, minimum: 1, maximum: 200 })
  @IsOptional()
  // Decimal digits only: Number() also read 0x10, 1e2 and ' 5 ' as numbers.
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^[0-9]{1,9}$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 20;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page; absent for the first page' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,512}$/)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type CursorKey = Array<string | number>;

/**
 * A check of one part of a cursor. A cursor comes back from the client, so each part is
 * checked as strictly as the same value given as a parameter: a part that passes reaches
 * Postgres, where a value out of its column's range (a year 0, an int past 2^31) is a 500.
 */
export type CursorPart<T extends string | number> = (part: unknown) => part is T;

/** A cursor part that is an integer in [min, max] (a Postgres int is at most 2^31 - 1). */
export function cursorInt(min: number, max: number): CursorPart<number> {
  return (part: unknown): part is number => Number.isSafeInteger(part) && (part as number) >= min && (part as number) <= max;
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

const forged = () => new AppError(CommonErrorCode.InvalidCursor, 'The cursor is not one this server issued');

/** The parts of a cursor, each passing its check; 400 INVALID_CURSOR otherwise. */
export function decodeCursor<T extends Array<string | number>>(cursor: string, parts: { [K in keyof T]: CursorPart<T[K]> }): T {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== parts.length || !key.every((part, i) => parts[i](part))) throw forged();
  return key as T;
}

/** The public id a one-key cursor carries, or null without a cursor. */
export function decodeIdCursor(cursor: string | undefined): string | null {
  if (cursor === undefined) return null;
  return decodeCursor<[string]>(cursor, [isPublicId])[0];
}

/** The calendar day (YYYY-MM-DD, a day Postgres can hold) a one-key cursor carries, or null without a cursor. */
export function decodeDayCursor(cursor: string | undefined): string | null {
  if (cursor === undefined) return null;
  return decodeCursor<[string]>(cursor, [isCalendarDate])[0];
}

/** Given limit + 1 rows fetched, returns the page and the cursor of its last row. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  keyOf: (row: Row) => CursorKey,
  toItem: (row: Row) => Item,
): Page<Item> {
  const hasMore = rows.length > limit;
  const served = hasMore ? rows.slice(0, limit) : rows;
  return {
    items: served.map(toItem),
    nextCursor: hasMore ? encodeCursor(keyOf(served[served.length - 1])) : null,
  };
}
