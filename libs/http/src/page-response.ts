import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';

/** /docs of a route answering a keyset page (Page<T> of @vouchers/common): `{ items: T[], nextCursor }`. */
export function ApiPageResponse(item: Type<unknown>, description?: string): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(item),
    ApiOkResponse({
      description: description ?? `A page of ${item.name}, in order; nextCursor fetches the next`,
      schema: {
        type: 'object',
        required: ['items', 'nextCursor'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(item) } },
          nextCursor: { type: 'string', nullable: true, description: 'The cursor of the next page (same filters); null on the last page' },
        },
      },
    }),
  );
}
