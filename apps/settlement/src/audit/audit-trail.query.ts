import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { PageQueryDto } from '@vouchers/common';
import { Transform } from 'class-transformer';
import { IsDefined, IsISO8601, IsOptional, Matches, ValidateIf } from 'class-validator';

/** Ids as the log holds them: public ids (UUIDs), district codes, 'city', 'settlement-worker'. */
const LOGGED_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const UUID_ANY_CASE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A UUID in any case is written in lower case, as the log holds it; other ids are taken as given. */
const loggedId = () => Transform(({ value }) => (typeof value === 'string' && UUID_ANY_CASE.test(value) ? value.toLowerCase() : value));

/**
 * A moment with its offset (Z or ±HH:MM). A time without one would be read in some zone the
 * caller did not choose (issue 17, point 3), so it is refused. Milliseconds at most: the
 * bound is compared as a JavaScript Date, which holds no finer.
 */
const ZONED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
function IsZonedTime(): PropertyDecorator {
  return applyDecorators(
    Matches(ZONED_TIME, { message: '$property must be a time with its offset, as 2026-12-05T10:00:00+08:00' }),
    IsISO8601({ strict: true }, { message: '$property must be a time that exists' }),
  );
}

/** What the trail is filtered by; every filter given must hold (AND). */
export class AuditFilterQuery {
  @ApiPropertyOptional({ description: 'Who acted: the public id of the official or staff member (or settlement-worker)' })
  @IsOptional()
  @loggedId()
  @Matches(LOGGED_ID)
  actorId?: string;

  @ApiPropertyOptional({ description: 'Kind of subject: campaign, merchant, merchant_staff, merchant_registry, settlement_batch', example: 'merchant' })
  @ValidateIf((query: AuditFilterQuery) => query.targetType !== undefined || query.targetId !== undefined)
  @IsDefined({ message: 'targetType must be given with targetId' })
  @Matches(/^[a-z_]{1,32}$/)
  targetType?: string;

  @ApiPropertyOptional({ description: 'The subject: its public id (or district code, or city, for the registry); needs targetType' })
  @IsOptional()
  @loggedId()
  @Matches(LOGGED_ID)
  targetId?: string;

  @ApiPropertyOptional({
    description: 'What was done: an exact action (merchant.approve), or a prefix ending with a dot (merchant.) for every action under it',
    example: 'merchant.',
  })
  @IsOptional()
  @Matches(/^[a-z0-9_.]{1,64}$/)
  action?: string;

  @ApiPropertyOptional({ description: 'Entries at or after this moment; the offset is required', example: '2026-12-01T00:00:00+08:00' })
  @IsOptional()
  @IsZonedTime()
  from?: string;

  @ApiPropertyOptional({ description: 'Entries before this moment (exclusive); the offset is required', example: '2026-12-02T00:00:00+08:00' })
  @IsOptional()
  @IsZonedTime()
  to?: string;
}

/** A page of the trail: the filters, limit and cursor. */
export class AuditPageQuery extends IntersectionType(AuditFilterQuery, PageQueryDto) {}
