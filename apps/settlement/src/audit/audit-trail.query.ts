import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsDateTimeWithOffset, PageQueryDto, publicIdAsSent } from '@vouchers/common';
import { Transform } from 'class-transformer';
import { IsDefined, IsOptional, Matches, ValidateIf } from 'class-validator';

/** Ids as the log holds them: public ids (UUIDs), district codes, 'city', 'settlement-worker'. */
const LOGGED_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
/** Ids are taken in either case and compared in lower case, as the log holds them (public ids, district codes). */
const loggedId = () => Transform(({ value }) => publicIdAsSent(value));

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

  @IsOptional()
  @IsDateTimeWithOffset({ description: 'Entries at or after this moment', example: '2026-12-01T00:00:00+08:00', required: false })
  from?: string;

  @IsOptional()
  @IsDateTimeWithOffset({ description: 'Entries before this moment (exclusive)', example: '2026-12-02T00:00:00+08:00', required: false })
  to?: string;
}

/** A page of the trail: the filters, limit and cursor. */
export class AuditPageQuery extends IntersectionType(AuditFilterQuery, PageQueryDto) {}
