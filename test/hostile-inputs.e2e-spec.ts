import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { newPublicId } from '@vouchers/common';
import { AppName } from '@vouchers/http';
import { AddressInfo } from 'node:net';
import { bootApp } from './support/apps';
import { Fresh, FROM_EXAMPLE, Start, thingsThatExist } from './support/hostile-things';
import { GOOD_UPLOADS, GoodUpload, uploadVariantsOf } from './support/hostile-uploads';
import { Document, exampleRequestOf, NOT_LET_IN, Operation, operationsOf, resolve, Schema, uploadOf, urlOf } from './support/openapi';
import { bearer } from './support/tokens';

/**
 * Bad input gets a 4xx with a stable code and never a 500: every operation of every app's
 * /docs, sent its documented example spoiled one part at a time (a body field of the wrong
 * type, too long, a number out of range; a path parameter that names nothing; a query
 * parameter that cannot be read), by the roles its example was let in with. Every answer must
 * be below 500, and a 4xx must say what was wrong with a JSON body carrying a string `code`;
 * a body field of the wrong type is never taken (2xx), but null where /docs says nullable.
 * Each operation is swept twice: from its example as documented (ids of nobody, callers with
 * no rows behind them), and from the same example on things that exist (a campaign, a voucher,
 * a merchant's staff, a redemption, a batch, an official, a bank account change awaiting review,
 * a resident's checkout code) with the tokens of their holders, so a spoiled part that passes
 * validation reaches the use case and its SQL too. What one request spends (a checkout code, a
 * pending change, an unsettled redemption to refund) is drawn anew for each (support/hostile-things),
 * and what a spoiled request must not have written is looked for after it. A JSON body is also sent
 * under other content types, which must be refused. An upload (a CSV body) is sent a good file
 * spoiled one way at a time instead (support/hostile-uploads), and a file refused whole must
 * leave nothing behind.
 */

const APPS: AppName[] = ['issuance', 'merchant', 'redemption', 'settlement'];

type Key = string | number;

/** One spoiled request: what was spoiled, and the request's parts (the body as JSON text). */
interface Variant {
  what: string;
  pathValues: Record<string, string>;
  /** The query string as sent, without its `?`: a `%` in it is left unencoded on purpose. */
  query: string;
  body?: string | Buffer;
  /** application/json unless told; null for no content-type header. */
  contentType?: string | null;
  /** A request that must be refused: a body field of the wrong type, where a 2xx means it was taken. */
  mustRefuse?: boolean;
  /** The only refusal that is right (a body of another type than JSON: 415 UNSUPPORTED_MEDIA_TYPE). */
  refusedAs?: { status: number; code: string };
}

/** The query string of the given values, with `raw` (already as sent) in place of its parameter's. */
function queryString(query: Record<string, unknown>, raw?: { name: string; text: string }): string {
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (name === raw?.name) continue;
    for (const item of Array.isArray(value) ? value : [value]) pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(item))}`);
  }
  if (raw) pairs.push(`${encodeURIComponent(raw.name)}=${raw.text}`);
  return pairs.join('&');
}

/** Every field of a JSON value with where it is: each property of an object, the first item of an array, and theirs. */
function fieldsOf(value: unknown, at: Key[] = []): Array<{ at: Key[]; value: unknown }> {
  if (Array.isArray(value)) return value.length === 0 ? [] : [{ at: [...at, 0], value: value[0] }, ...fieldsOf(value[0], [...at, 0])];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([name, field]) => [{ at: [...at, name], value: field }, ...fieldsOf(field, [...at, name])]);
}

/** A copy of `value` with the field at `at` replaced. */
function replaced(value: unknown, at: Key[], by: unknown): unknown {
  const copy = structuredClone(value) as Record<Key, unknown>;
  let parent = copy;
  for (const key of at.slice(0, -1)) parent = parent[key] as Record<Key, unknown>;
  parent[at[at.length - 1]] = by;
  return copy;
}

/** The schema of the body field at `at`, through references, allOf and array items. */
function schemaAt(document: Document, given: Schema | undefined, at: Key[]): Schema | undefined {
  let schema = resolve(document, given);
  for (const key of at) {
    if (!schema) return undefined;
    const parts = schema.allOf?.map((part) => resolve(document, part)) ?? [schema];
    const next = typeof key === 'number' ? schema.items : parts.find((part) => part?.properties?.[key])?.properties?.[key];
    schema = resolve(document, next);
  }
  return schema;
}

/**
 * Values of another JSON type than `value`'s (a string for a number and back, an array, an
 * object, null, a boolean), each one a field must refuse (but null where it is nullable), then
 * out-of-range ones and the other values of its enum, which its rules may take (a 4xx or 2xx).
 */
function spoilt(value: unknown, schema: Schema | undefined): Array<{ what: string; value: unknown; mustRefuse: boolean }> {
  const nullable = schema?.nullable === true;
  const spoils: Array<{ what: string; value: unknown; mustRefuse: boolean }> = [];
  const wrongType = (what: string, by: unknown) => spoils.push({ what, value: by, mustRefuse: true });
  const outOfRange = (what: string, by: unknown) => spoils.push({ what, value: by, mustRefuse: false });
  if (typeof value !== 'string') wrongType('a string', typeof value === 'number' ? String(value) : 'x');
  if (typeof value !== 'number') wrongType('a number', 12345);
  if (!Array.isArray(value)) wrongType('an array', [value]);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) wrongType('an object', { value });
  if (value !== null) spoils.push({ what: 'null', value: null, mustRefuse: !nullable });
  if (typeof value !== 'boolean') wrongType('a boolean', true);
  if (typeof value === 'string') outOfRange('10,000 characters', 'x'.repeat(10_000));
  if (typeof value === 'number' && Number.isInteger(value)) {
    outOfRange('negative', value > 0 ? -value : -1);
    outOfRange('1e20', 1e20);
    outOfRange('a fraction', value + 0.5);
  }
  for (const other of schema?.enum ?? []) if (other !== value) outOfRange(`its other value ${JSON.stringify(other)}`, other);
  return spoils;
}

/** The operation's example spoiled one part at a time. */
function variantsOf(
  pathValues: Record<string, string>,
  query: Record<string, unknown>,
  queryNames: string[],
  body: unknown,
  schemaOf: (at: Key[]) => Schema | undefined,
): Variant[] {
  const asSent = { pathValues, query: queryString(query), body: body === undefined ? undefined : JSON.stringify(body) };
  const variants: Variant[] = [];
  if (body !== undefined) {
    variants.push({ ...asSent, what: 'an empty body', body: '' }, { ...asSent, what: 'a JSON array body', body: '[]' }, { ...asSent, what: 'body {}', body: '{}' });
    for (const contentType of ['text/csv', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', null]) {
      variants.push({ ...asSent, what: `the body sent as ${contentType ?? 'no content type'}`, contentType, refusedAs: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' } });
    }
    for (const field of fieldsOf(body)) {
      for (const spoil of spoilt(field.value, schemaOf(field.at))) {
        const spoiltBody = JSON.stringify(replaced(body, field.at, spoil.value));
        variants.push({ ...asSent, what: `body ${field.at.join('.')} as ${spoil.what}`, body: spoiltBody, mustRefuse: spoil.mustRefuse });
      }
    }
  }
  for (const name of Object.keys(pathValues)) {
    for (const [what, value] of [
      ['not-an-id', 'not-an-id'],
      ['300 characters', 'a'.repeat(300)],
      ['a uuid of nobody', newPublicId()],
    ]) {
      variants.push({ ...asSent, what: `path ${name} ${what}`, pathValues: { ...pathValues, [name]: value } });
    }
  }
  for (const name of queryNames) {
    for (const [what, text] of [
      ['%', '%'],
      ['300 characters', 'q'.repeat(300)],
      ['-1', '-1'],
      ['1e99', '1e99'],
    ]) {
      variants.push({ ...asSent, what: `query ${name} ${what}`, query: queryString(query, { name, text }) });
    }
  }
  return variants;
}

const pathValueIn = (start: Start, path: string, param: string): string | undefined =>
  param === 'roundId' && /\/(lottery|entries)\b/.test(path) && start.lotteryRoundId ? start.lotteryRoundId : start.pathValues[param];

/** Stands for a value drawn fresh for each request (Start.fresh) in a variant, until it is sent. */
const placeholder = (name: string) => `⟨fresh ${name}⟩`;

/** The example body with a placeholder for each top-level field drawn fresh. */
function withPlaceholders(body: unknown, fresh: Record<string, Fresh>): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).map(([name, value]) => [name, name in fresh ? placeholder(name) : value]));
}

const starts: Start[] = [FROM_EXAMPLE];

beforeAll(async () => {
  starts.push(await thingsThatExist());
}, 60_000);

describe.each(APPS)('hostile inputs to every operation of the %s app', (name) => {
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    app = await bootApp(name);
    // One port for the whole sweep: a connection kept alive is much quicker than supertest's listen per request.
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers each spoiled example below 500 (a 4xx with a JSON body and a string code), and takes no field of the wrong type', async () => {
    const document = (await (await fetch(`${base}/docs-json`)).json()) as Document;
    const problems = new Set<string>();
    let sent = 0;

    /** The variant with each placeholder in it replaced by a value drawn now, and the values drawn by name. */
    const filled = async (variant: Omit<Variant, 'what'>, fresh: Record<string, Fresh>) => {
      const pathValues = { ...variant.pathValues };
      const drawn: Record<string, string> = {};
      let body = variant.body;
      for (const [name, draw] of Object.entries(fresh)) {
        for (const [param, value] of Object.entries(pathValues)) if (value === placeholder(name)) pathValues[param] = drawn[name] = await draw(app);
        const quoted = JSON.stringify(placeholder(name));
        if (typeof body === 'string' && body.includes(quoted)) {
          const value = JSON.stringify((drawn[name] = await draw(app)));
          body = body.replace(quoted, () => value);
        }
      }
      return { pathValues, body, drawn };
    };
    const send = async (method: string, path: string, variant: Omit<Variant, 'what'>, token: string | null, fresh: Record<string, Fresh> = {}) => {
      const headers: Record<string, string> = token ? bearer(token) : {};
      const contentType = variant.contentType === undefined ? 'application/json' : variant.contentType;
      if (variant.body !== undefined && contentType) headers['content-type'] = contentType;
      const { pathValues, body, drawn } = await filled(variant, fresh);
      const url = `${base}${urlOf(path, pathValues)}${variant.query ? `?${variant.query}` : ''}`;
      // fetch labels a string body text/plain: bytes go without a label.
      const response = await fetch(url, { method: method.toUpperCase(), headers, body: contentType === null && typeof body === 'string' ? Buffer.from(body) : body });
      const text = await response.text();
      let code: unknown;
      try {
        code = (JSON.parse(text) as { code?: unknown } | null)?.code;
      } catch {
        code = undefined;
      }
      sent += 1;
      return { status: response.status, code, drawn };
    };
    const judge = (label: string, what: string, answer: { status: number; code: unknown }, mustRefuse = false, refusedAs?: Variant['refusedAs']) => {
      if (refusedAs && (answer.status !== refusedAs.status || answer.code !== refusedAs.code)) {
        problems.add(`${label}, ${what}: ${answer.status} ${String(answer.code)}, not ${refusedAs.status} ${refusedAs.code}`);
      } else if (mustRefuse && answer.status < 300) problems.add(`${label}, ${what}: ${answer.status}, taken`);
      else if (answer.status >= 500) problems.add(`${label}, ${what}: ${answer.status} ${String(answer.code)}`);
      else if (answer.status >= 400 && typeof answer.code !== 'string') problems.add(`${label}, ${what}: ${answer.status} without a code`);
    };
    /** The callers of `tokens` the operation lets in, as it answers the request as it is. */
    const letInBy = async (where: string, method: string, path: string, operation: Operation, asSent: Omit<Variant, 'what'>, tokens: string[], fresh?: Record<string, Fresh>) => {
      const letIn: Array<string | null> = [];
      for (const token of operation.security?.length ? tokens : [null]) {
        const answer = await send(method, path, asSent, token, fresh);
        judge(where, 'as it is', answer);
        if (!NOT_LET_IN.includes(String(answer.code))) letIn.push(token);
      }
      return letIn;
    };
    const uploadsSwept = new Set<GoodUpload>();

    try {
      for (const { path, method, label, operation } of operationsOf(document)) {
        const upload = uploadOf(path, operation);
        if (upload) {
          const good = GOOD_UPLOADS[label];
          if (!good) problems.add(`${label}: an upload with no good file to spoil (support/hostile-uploads)`);
          else uploadsSwept.add(good);
          for (const start of good ? starts : []) {
            const pathValues = Object.fromEntries(Object.entries(upload.pathValues).map(([param, value]) => [param, pathValueIn(start, path, param) ?? value]));
            const where = `${label} ${start.what}`;
            const [asItIs, ...variants] = uploadVariantsOf(() => good.rows(start), upload.contentType).map((variant) => ({ ...variant, pathValues, query: '' }));
            for (const token of await letInBy(where, method, path, operation, asItIs, start.tokens)) {
              for (const variant of variants) {
                const answer = await send(method, path, variant, token);
                judge(where, variant.what, answer, variant.mustRefuse);
                const left = answer.status >= 400 && answer.status < 500 ? await good.leftBehind?.(app, variant.rows, start) : null;
                if (left) problems.add(`${where}, ${variant.what}: refused (${String(answer.code)}), but ${left}`);
              }
            }
          }
          continue;
        }
        const example = exampleRequestOf(document, path, operation);
        // docs-contract checks that every example is complete; one that is not has nothing to spoil.
        if (!example || example.missing.length > 0) continue;
        const bodySchema = operation.requestBody?.content['application/json']?.schema;
        const schemaOf = (at: Key[]) => schemaAt(document, bodySchema, at);
        const queryNames = (operation.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name);
        for (const start of starts) {
          const fresh = start.fresh[label] ?? {};
          const pathValues = Object.fromEntries(
            Object.entries(example.pathValues).map(([param, value]) => [param, param in fresh ? placeholder(param) : (pathValueIn(start, path, param) ?? value)]),
          );
          const body = withPlaceholders(example.body, fresh);
          const asSent = { pathValues, query: queryString(example.query), body: body === undefined ? undefined : JSON.stringify(body) };
          const where = `${label} ${start.what}`;
          const letIn = await letInBy(where, method, path, operation, asSent, start.tokens, fresh);
          const wroteBy = start.wroteBy[label];
          for (const variant of variantsOf(pathValues, example.query, queryNames, body, schemaOf)) {
            for (const token of letIn) {
              const answer = await send(method, path, variant, token, fresh);
              judge(where, variant.what, answer, variant.mustRefuse, variant.refusedAs);
              const wrote = await wroteBy?.(app, answer.drawn);
              if (wrote) problems.add(`${where}, ${variant.what}: ${answer.status} ${String(answer.code)}, but ${wrote}`);
            }
          }
        }
      }
    } catch (error) {
      // Cut short (fresh values ran out, as they do when spoiled requests go through): said after what was found by then.
      problems.add(`the sweep stopped: ${(error as Error).message}`);
    } finally {
      for (const good of uploadsSwept) await good.cleanUp?.(app);
    }
    expect([...problems]).toEqual([]);
    expect(sent).toBeGreaterThan(100);
  }, 180_000);
});
