import type { OpenAPIObject } from '@nestjs/swagger';
import { CataloguedCode, CataloguedRowProblem } from '@vouchers/common';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const ERROR_RESPONSE = { $ref: '#/components/responses/Error' };

/** A string enum with a description of each value, also as x-enum-descriptions (openapi-generator reads it). */
function describedEnum(intro: string, values: ReadonlyArray<{ code: string; text: string }>): Record<string, unknown> {
  return {
    type: 'string',
    description: `${intro}\n\n${values.map((value) => `- \`${value.code}\` ${value.text}`).join('\n')}`,
    enum: values.map((value) => value.code),
    'x-enum-descriptions': values.map((value) => value.text),
  };
}

/**
 * Puts the error catalogue in an OpenAPI document: `ErrorCode`, an enum of every code the app
 * answers (each with its status and meaning), `RowProblemCode`, those of one row of an
 * uploaded file (listed in details.problems), the `Error` body that carries them, and a 4XX
 * and 5XX response of that body on every operation.
 */
export function documentErrors(document: OpenAPIObject, codes: readonly CataloguedCode[], rowProblems: readonly CataloguedRowProblem[]): OpenAPIObject {
  const components = (document.components ??= {});
  components.schemas = {
    ...components.schemas,
    ErrorCode: describedEnum(
      'Every code an error answer of this API may carry, with its HTTP status:',
      codes.map((entry) => ({ code: entry.code, text: `(${entry.status}): ${entry.meaning}` })),
    ),
    // An app without uploaded files has none; an empty enum is not a valid schema.
    ...(rowProblems.length > 0
      ? {
          RowProblemCode: describedEnum(
            'Why one row of an uploaded file (or one line of a batch) is refused, listed by line inside an answer:',
            rowProblems.map((entry) => ({ code: entry.code, text: entry.meaning })),
          ),
        }
      : {}),
    Error: {
      type: 'object',
      description: 'Every error answer: a stable code, a message for people, and the request id the logs hold.',
      required: ['code', 'message', 'requestId'],
      properties: {
        code: { $ref: '#/components/schemas/ErrorCode' },
        message: { type: 'string' },
        requestId: { type: 'string' },
        details: {
          type: 'object',
          additionalProperties: true,
          description: 'What the code needs said (retryAfterSeconds, status, problems...)',
          properties: {
            problems: {
              type: 'array',
              description: 'The rows of a file that are wrong, or the checks a body failed',
              items: { oneOf: [{ type: 'string' }, { type: 'object', properties: { line: { type: 'integer' }, code: rowProblems.length > 0 ? { $ref: '#/components/schemas/RowProblemCode' } : { type: 'string' } } }] },
            },
          },
        },
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
