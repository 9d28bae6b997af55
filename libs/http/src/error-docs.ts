import type { OpenAPIObject, ResponseObject } from '@nestjs/swagger';
import { CataloguedCode, cataloguedCode, CataloguedRowProblem, CommonErrorCode } from '@vouchers/common';
import { ERROR_CODES_EXTENSION } from './answers-errors';

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

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;

const CARRIES_A_BODY = new Set(['post', 'put', 'patch']);

/**
 * The codes libs/http can answer on an operation whatever its handler does, read from how the
 * operation is described: a request it cannot read (a NUL, bad JSON, a malformed id), a failure
 * on the server; a body too large for a method that carries one, and one of the wrong type or
 * shape where it takes JSON; a token refused or of another role where it needs one; a body or
 * query the validation pipe refuses, and a cursor not issued here.
 */
function commonCodesOf(method: string, operation: Operation): string[] {
  const codes: string[] = [CommonErrorCode.MalformedRequest, CommonErrorCode.Internal];
  const parameters = (operation.parameters ?? []) as Array<{ in?: string; name?: string }>;
  const takesJson = Boolean((operation.requestBody as { content?: Record<string, unknown> } | undefined)?.content?.['application/json']);
  if (CARRIES_A_BODY.has(method)) codes.push(CommonErrorCode.PayloadTooLarge);
  if (takesJson) codes.push(CommonErrorCode.UnsupportedMediaType, CommonErrorCode.BodyTooComplex);
  if (operation.security?.length) codes.push(CommonErrorCode.Unauthenticated, CommonErrorCode.Forbidden);
  if (takesJson || parameters.some((parameter) => parameter.in === 'query')) codes.push(CommonErrorCode.ValidationFailed);
  if (parameters.some((parameter) => parameter.in === 'query' && parameter.name === 'cursor')) codes.push(CommonErrorCode.InvalidCursor);
  return codes;
}

/** One status's answer: the Error body with `code` narrowed to the codes, each described. */
function errorResponse(codes: readonly CataloguedCode[], described?: string): ResponseObject {
  const list = codes.map((entry) => `- \`${entry.code}\` ${entry.meaning}`).join('\n');
  return {
    description: described ? `${described}\n\n${list}` : list,
    content: {
      'application/json': {
        schema: {
          allOf: [
            { $ref: '#/components/schemas/Error' },
            { type: 'object', required: ['code'], properties: { code: { type: 'string', enum: codes.map((entry) => entry.code) } } },
          ],
        },
      },
    },
  };
}

/**
 * Puts an operation's error codes in its responses: those it lists (ERROR_CODES_EXTENSION,
 * from @AnswersErrors or a raw route's docs) and the common ones, grouped by their catalogued
 * status. A response already at that status keeps its description ahead of the list; one with
 * a body of its own (a 503 that is not an error) cannot also be an error answer.
 */
function documentOperationErrors(label: string, method: string, operation: Operation): void {
  const own = (operation as unknown as Record<string, string[] | undefined>)[ERROR_CODES_EXTENSION];
  const byStatus = new Map<number, CataloguedCode[]>();
  for (const code of new Set([...commonCodesOf(method, operation), ...(own ?? [])])) {
    const entry = cataloguedCode(code);
    if (!entry) throw new Error(`${label} answers ${code}, which no loaded error catalogue holds`);
    byStatus.set(entry.status, [...(byStatus.get(entry.status) ?? []), entry]);
  }
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const existing = operation.responses[status] as ResponseObject | undefined;
    if (existing?.content) throw new Error(`${label} answers ${status} with a body of its own, so not with ${codes.map((entry) => entry.code).join(', ')}`);
    operation.responses[status] = errorResponse(codes, existing?.description);
  }
}

/**
 * Puts the error catalogue in an OpenAPI document: `ErrorCode`, an enum of every code the app
 * answers (each with its status and meaning), `RowProblemCode`, those of one row of an
 * uploaded file (listed in details.problems), the `Error` body that carries them, and a 4XX
 * and 5XX response of that body on every operation; then, on each operation, a response per
 * status it can answer with the codes it answers there (documentOperationErrors).
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
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      documentOperationErrors(`${method.toUpperCase()} ${path}`, method, operation);
      operation.responses = { ...operation.responses, '4XX': ERROR_RESPONSE, '5XX': ERROR_RESPONSE };
    }
  }
  return document;
}
