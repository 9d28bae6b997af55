import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { AppError, CommonErrorCode } from './errors';
import { isPublicId } from './ids';

/**
 * Keyset pagination: the cursor carries the sort key of the last row served, so a page
 * costs one index range scan however deep the reader goes, and rows inserted meanwhile
 * neither repeat nor vanish.
 */
export class PageQueryDto {
  @ApiPropertyOptional({ description: 'Items per page, 1-200', default: 20, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
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

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): CursorKey {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const valid =
    Array.isArray(key) &&
    key.length === arity &&
    key.every((part) => typeof part === 'string' || (typeof part === 'number' && Number.isFinite(part)));
  if (!valid) {
    throw AppError.badRequest(CommonErrorCode.InvalidCursor, 'The cursor is not one this server issued');
  }
  return key as CursorKey;
}

/** The public id a one-key cursor carries, or null without a cursor. */
export function decodeIdCursor(cursor: string | undefined): string | null {
  if (cursor === undefined) return null;
  const [id] = decodeCursor(cursor, 1);
  if (!isPublicId(id)) {
    throw AppError.badRequest(CommonErrorCode.InvalidCursor, 'The cursor is not one this server issued');
  }
  return id;
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
