import { Role } from '@vouchers/auth';
import { newPublicId } from '@vouchers/common';
import { tokenFor } from './tokens';

/**
 * An app's OpenAPI document as the tests read it (/docs-json), and the requests its examples
 * make: test/docs-contract sends them as they are, test/hostile-inputs spoils them part by part.
 */

export const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  example?: unknown;
  default?: unknown;
  nullable?: boolean;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
}
export interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  example?: unknown;
  schema?: Schema;
}
export interface Response {
  description?: string;
  content?: Record<string, { schema?: Schema }>;
  $ref?: string;
}
export interface Operation {
  operationId?: string;
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
  responses: Record<string, Response>;
  'x-error-codes'?: string[];
}
export interface Document {
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
  components: { schemas: Record<string, Schema> };
}

export const operationsOf = (document: Document) =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => (item[method] ? [{ path, method, label: `${method.toUpperCase()} ${path}`, operation: item[method] as Operation }] : [])),
  );

export const resolve = (document: Document, schema: Schema | undefined): Schema | undefined =>
  schema?.$ref ? resolve(document, document.components.schemas[schema.$ref.split('/').pop() as string]) : schema;

/**
 * A value built from a schema's examples: its own example or default, an enum's first value,
 * an object of its properties' (required ones must have one; optional ones are sent when they
 * have one), an array of one item. What a required part lacks is listed in `missing`.
 */
export function exampleOf(document: Document, given: Schema | undefined, where: string, missing: string[]): unknown {
  const schema = resolve(document, given);
  if (!schema) return undefined;
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum) return schema.enum[0];
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((part) => exampleOf(document, part, where, missing)));
  if (schema.properties) {
    const body: Record<string, unknown> = {};
    for (const [name, property] of Object.entries(schema.properties)) {
      const required = schema.required?.includes(name) ?? false;
      const lacking: string[] = [];
      const value = exampleOf(document, property, `${where}.${name}`, lacking);
      if (required) missing.push(...lacking);
      if (value !== undefined && (required || lacking.length === 0)) body[name] = value;
    }
    return body;
  }
  if (schema.type === 'array' && schema.items) return [exampleOf(document, schema.items, `${where}[]`, missing)];
  missing.push(where);
  return undefined;
}

/** A value for a path parameter: its example, or a fresh public id for an id. */
export function pathValueOf(parameter: Parameter, missing: string[]): string {
  const example = parameter.example ?? parameter.schema?.example;
  if (example !== undefined) return String(example);
  if (parameter.schema?.format === 'uuid' || /Id$/.test(parameter.name)) return newPublicId();
  missing.push(`path parameter ${parameter.name}`);
  return 'x';
}

/** The request an operation's examples make; `body` is undefined for an operation without one. */
export interface ExampleRequest {
  pathValues: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  /** The required parts no example gave a value for (listed by exampleOf and pathValueOf). */
  missing: string[];
}

/**
 * The operation's example request, or null for one whose body is not JSON: a file upload (CSV)
 * has no example to send; its checks are the upload tests'.
 */
export function exampleRequestOf(document: Document, path: string, operation: Operation): ExampleRequest | null {
  const json = operation.requestBody?.content['application/json'];
  if (operation.requestBody && !json) return null;
  const missing: string[] = [];
  const parameters = operation.parameters ?? [];
  const pathValues = pathValuesOf(path, parameters, missing);
  const query: Record<string, unknown> = {};
  for (const parameter of parameters.filter((entry) => entry.in === 'query')) {
    const value = parameter.example ?? exampleOf(document, parameter.schema, `query ${parameter.name}`, parameter.required ? missing : []);
    if (value !== undefined) query[parameter.name] = value;
  }
  const body = json ? exampleOf(document, json.schema, 'body', missing) : undefined;
  return { pathValues, query, body, missing };
}

function pathValuesOf(path: string, parameters: Parameter[], missing: string[]): Record<string, string> {
  const pathValues: Record<string, string> = {};
  for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
    pathValues[name] = pathValueOf(parameters.find((parameter) => parameter.in === 'path' && parameter.name === name) ?? { name, in: 'path' }, missing);
  }
  return pathValues;
}

/** An operation whose body is a file (CSV): its path values and the content type /docs names; null for any other. */
export function uploadOf(path: string, operation: Operation): { pathValues: Record<string, string>; contentType: string } | null {
  const types = Object.keys(operation.requestBody?.content ?? {});
  if (types.length === 0 || types.includes('application/json')) return null;
  return { pathValues: pathValuesOf(path, operation.parameters ?? [], []), contentType: types[0] };
}

/** The path with its parameters filled in, each encoded. */
export const urlOf = (path: string, values: Record<string, string>): string =>
  path.replace(/\{(\w+)\}/g, (_whole, name: string) => encodeURIComponent(values[name]));

/** One caller of each role, as the sign-in flows would mint them. */
export const TOKENS = [
  tokenFor({ role: Role.Resident, verified: true }),
  tokenFor({ role: Role.MerchantStaff, merchantId: newPublicId() }),
  tokenFor({ role: Role.MerchantAdmin, merchantId: newPublicId() }),
  tokenFor({ role: Role.CommerceOfficial }),
  tokenFor({ role: Role.FinanceOfficial }),
  tokenFor({ role: Role.Auditor }),
  tokenFor({ role: Role.OfficialAdmin }),
];

/** Codes that say the caller was not let in: the answer says nothing of the input. */
export const NOT_LET_IN = ['UNAUTHENTICATED', 'FORBIDDEN'];
