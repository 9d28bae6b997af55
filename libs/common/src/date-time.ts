import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { isISO8601, ValidateBy } from 'class-validator';

/**
 * A date and time with its offset: YYYY-MM-DDTHH:mm[:ss[.fraction]] then Z or ±HH:MM. A time
 * without one names no instant: JavaScript and Postgres would each read it in their own zone
 * (UTC on the servers), so "2026-12-05 10:00" meant for Ningbo would open at 18:00 there.
 */
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const DATE_TIME_EXAMPLE = '2026-12-05T10:00:00+08:00';

/** Whether `value` is a date-time naming one instant: a real date and time with an explicit offset. */
export function isDateTimeWithOffset(value: unknown): value is string {
  return typeof value === 'string' && WITH_OFFSET.test(value) && isISO8601(value, { strict: true }) && !Number.isNaN(Date.parse(value));
}

export interface DateTimeDocs {
  /** What the moment is; the decorator adds that an offset is required. */
  description: string;
  /** Defaults to DATE_TIME_EXAMPLE. */
  example?: string;
  /** False for an optional field (which also carries @IsOptional()). */
  required?: boolean;
}

/**
 * Validates a DTO field as a date-time with an explicit offset (Z or ±HH:MM) and documents it so
 * in /docs: the one check of every date-time a request gives. Business days (YYYY-MM-DD,
 * Asia/Shanghai) take IsBusinessDate instead.
 */
export function IsDateTimeWithOffset(docs: DateTimeDocs): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: String,
      format: 'date-time',
      required: docs.required ?? true,
      example: docs.example ?? DATE_TIME_EXAMPLE,
      description: `${docs.description}. Must carry its offset, e.g. ${DATE_TIME_EXAMPLE} (Asia/Shanghai) or 2026-12-05T02:00:00Z; a time without one (2026-12-05 10:00) is refused with 400 VALIDATION_FAILED`,
    }),
    ValidateBy({
      name: 'isDateTimeWithOffset',
      validator: {
        validate: (value) => isDateTimeWithOffset(value),
        defaultMessage: () => `$property must be a date-time with an offset, as ${DATE_TIME_EXAMPLE} or 2026-12-05T02:00:00Z`,
      },
    }),
  );
}

/** How the API writes times, for the top of every app's /docs (and docs/apps.md says the same). */
export const TIMES_IN_THE_API =
  `Times: a date-time in a request must carry its offset (${DATE_TIME_EXAMPLE}, or Z); one without is refused with ` +
  '400 VALIDATION_FAILED naming the field. Every date-time in an answer, JSON or CSV, is in UTC (2026-12-05T02:00:00.000Z): ' +
  'show it in Asia/Shanghai (+08:00). Business days (YYYY-MM-DD) are calendar days in Asia/Shanghai.';
