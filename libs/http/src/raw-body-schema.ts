import { AppError, CommonErrorCode } from '@vouchers/common';
import Ajv, { ErrorObject, JSONSchemaType, ValidateFunction } from 'ajv';

/** A raw route's JSON body, described once: ajv checks bodies against it and /docs shows it. */
export type RawBodySchema<Body> = JSONSchemaType<Body>;

/**
 * Ajv as the raw routes use it: every problem listed (as the validation pipe lists them), no
 * coercion, no defaults filled in, strict about the schema itself (an unknown keyword is a
 * mistake in the route, caught at start), OpenAPI's `example` allowed for /docs.
 */
const ajv = new Ajv({ allErrors: true, strict: true, coerceTypes: false, useDefaults: false, removeAdditional: false });
ajv.addVocabulary(['example']);

function problemOf(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') {
    // The validation pipe's words, so a raw route refuses an unknown field as every route does.
    return `property ${(error.params as { additionalProperty: string }).additionalProperty} should not exist`;
  }
  const field = error.instancePath.slice(1).replace(/\//g, '.');
  return `${field === '' ? 'body' : field} ${error.message ?? 'is invalid'}`;
}

/**
 * Compiles a body schema once (when the route is added, so a bad schema stops the app at start)
 * into a check that returns the body typed, or throws 400 VALIDATION_FAILED listing the problems.
 */
export function bodyCheckOf<Body>(schema: RawBodySchema<Body>): (body: unknown) => Body {
  const validate: ValidateFunction<Body> = ajv.compile(schema);
  return (body) => {
    if (validate(body)) return body;
    const problems = (validate.errors ?? []).map(problemOf);
    throw new AppError(CommonErrorCode.ValidationFailed, problems.join('; '), { problems });
  };
}
