import type { OpenAPIObject } from '@nestjs/swagger';
import { CataloguedCode } from '@vouchers/common';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const ERROR_RESPONSE = { $ref: '#/components/responses/Error' };

/**
 * Puts the error catalogue in an OpenAPI document: `ErrorCode`, an enum of every code the app
 * answers (each with its status and meaning, also as x-enum-descriptions for client
 * generators), the `Error` body that carries one, and a 4XX and 5XX response of that body on
 * every operation that does not describe its own.
 */
export function documentErrors(document: OpenAPIObject, codes: readonly CataloguedCode[]): OpenAPIObject {
  const components = (document.components ??= {});
  components.schemas = {
    ...components.schemas,
    ErrorCode: {
      type: 'string',
      description: `Every code an error answer of this API may carry, with its HTTP status:\n\n${codes
        .map((entry) => `- \`${entry.code}\` (${entry.status}): ${entry.meaning}`)
        .join('\n')}`,
      enum: codes.map((entry) => entry.code),
      // An extension (openapi-generator reads it), which the swagger types do not list.
      ...({ 'x-enum-descriptions': codes.map((entry) => `${entry.status}: ${entry.meaning}`) } as object),
    },
    Error: {
      type: 'object',
      description: 'Every error answer: a stable code, a message for people, and the request id the logs hold.',
      required: ['code', 'message', 'requestId'],
      properties: {
        code: { $ref: '#/components/schemas/ErrorCode' },
        message: { type: 'string' },
        requestId: { type: 'string' },
        details: { type: 'object', additionalProperties: true, description: 'What the code needs said (problems, retryAfterSeconds, status...)' },
      },
    },
  };
  components.responses = {
    ...components.responses,
    Error: {
      description: 'Refused or failed: the body says why (ErrorCode lists every code and its status)',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      operation.responses = { '4XX': ERROR_RESPONSE, '5XX': ERROR_RESPONSE, ...operation.responses };
    }
  }
  return document;
}
