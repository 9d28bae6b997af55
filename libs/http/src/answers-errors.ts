import { DECORATORS } from '@nestjs/swagger';
import { cataloguedCode } from '@vouchers/common';

/** The operation's own error codes in /docs, as @AnswersErrors lists them; documentErrors turns them into responses. */
export const ERROR_CODES_EXTENSION = 'x-error-codes';

type Extensions = Record<string, unknown>;

function addCodes(method: object, codes: readonly string[]): void {
  const extensions: Extensions = Reflect.getMetadata(DECORATORS.API_EXTENSION, method) ?? {};
  const listed = (extensions[ERROR_CODES_EXTENSION] as string[] | undefined) ?? [];
  const merged = [...listed, ...codes.filter((code) => !listed.includes(code))];
  Reflect.defineMetadata(DECORATORS.API_EXTENSION, { ...extensions, [ERROR_CODES_EXTENSION]: merged }, method);
}

/**
 * The error codes a route can answer beyond those every route can (documentErrors adds those:
 * a request that cannot be read, a token refused, a body or query that fails validation, a
 * cursor not issued here, a failure on the server). Name them from the catalogue enums the
 * route's use cases throw; /docs lists them under their catalogued status with their meaning,
 * each status's answer narrowing `code` to its values. On a controller it adds the codes to
 * each of its routes. `@AnswersErrors()` with none says the route answers only the common ones.
 * A code no loaded catalogue holds stops the app at start.
 */
export function AnswersErrors(...codes: string[]): MethodDecorator & ClassDecorator {
  const unknown = codes.filter((code) => !cataloguedCode(code));
  if (unknown.length > 0) throw new Error(`@AnswersErrors names codes in no error catalogue: ${unknown.join(', ')}`);
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (descriptor) {
      addCodes(descriptor.value as object, codes);
      return;
    }
    const prototype = (target as { prototype: Record<string, unknown> }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const method = Object.getOwnPropertyDescriptor(prototype, name)?.value;
      // Every method: Swagger reads the codes of route handlers only.
      if (name !== 'constructor' && typeof method === 'function') addCodes(method, codes);
    }
  };
}
