import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';

/** limit and cursor of PageQueryDto, which carries no Swagger metadata of its own. */
export function ApiPageQuery(): MethodDecorator {
  return applyDecorators(
    ApiQuery({ name: 'limit', required: false, type: Number, description: 'Items per page, 1-200', example: 20 }),
    ApiQuery({ name: 'cursor', required: false, type: String, description: 'nextCursor of the previous page' }),
  );
}
