import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsUUID } from 'class-validator';
import { publicIdAsSent } from './ids';

/** Validates a DTO field (query or body) as a public id in either case and hands it on in lower case. */
export function IsPublicId(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => publicIdAsSent(value)),
    IsUUID(),
  );
}
