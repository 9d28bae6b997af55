import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { cataloguedCode } from '@vouchers/common';
import { AppName } from '@vouchers/http';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import request from 'supertest';
import { bootApp } from './support/apps';

/**
 * Every error code an app can answer is in its /docs, with its status. "Can answer" is read
 * from the source, not from the catalogue: each `SomethingErrorCode.Member` (or literal code
 * given to AppError) in the app's files and in the libs they import, so a code thrown but
 * never catalogued, or catalogued by a module the app does not load, fails here. The codes
 * of rows' problems (listed inside the answer about an uploaded file) are checked alike.
 */

const ROOT = join(__dirname, '..');
/** Codes of one row of an uploaded file, listed inside details.problems of the whole file's answer. */
const ROW_ENUMS = new Set(['RowErrorCode', 'ResultRowErrorCode']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

const libsImportedBy = (files: string[]): string[] => [
  ...new Set(files.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/from '@vouchers\/([a-z-]+)'/g)].map((match) => match[1]))),
];

/** The files of an app and of every lib it reaches. */
function filesOf(app: AppName): string[] {
  const files = sourceFiles(join(ROOT, 'apps', app, 'src'));
  const seen = new Set<string>();
  let next = libsImportedBy(files);
  while (next.length > 0) {
    const lib = next.pop() as string;
    if (seen.has(lib)) continue;
    seen.add(lib);
    const libFiles = sourceFiles(join(ROOT, 'libs', lib, 'src'));
    files.push(...libFiles);
    next = [...next, ...libsImportedBy(libFiles)];
  }
  return files;
}

/** Every *ErrorCode enum of the tree, by name, from its defining module. */
function errorEnums(): Map<string, Record<string, string>> {
  const enums = new Map<string, Record<string, string>>();
  const defining = [...sourceFiles(join(ROOT, 'apps')), ...sourceFiles(join(ROOT, 'libs'))].filter((file) =>
    /export enum \w+ErrorCode\b/.test(readFileSync(file, 'utf8')),
  );
  for (const file of defining) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    for (const [name, value] of Object.entries(require(file) as Record<string, unknown>)) {
      if (name.endsWith('ErrorCode')) enums.set(name, value as Record<string, string>);
    }
  }
  return enums;
}

/** The codes the files name (answers' codes, or with rows: those of rows' problems), each with where it was named. */
function codesNamedIn(files: string[], enums: Map<string, Record<string, string>>, rows = false): Map<string, string> {
  const named = new Map<string, string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const where = relative(ROOT, file);
    // Local names of the enums: the enum's own (also where it is defined) and import aliases.
    const locals = new Map<string, string>([...enums.keys()].map((name) => [name, name]));
    for (const match of text.matchAll(/\b(\w+ErrorCode) as (\w+)\b/g)) locals.set(match[2], match[1]);
    for (const [local, name] of locals) {
      if (ROW_ENUMS.has(name) !== rows) continue;
      for (const match of text.matchAll(new RegExp(`\\b${local}\\.(\\w+)\\b`, 'g'))) {
        const code = enums.get(name)?.[match[1]];
        expect([where, `${name}.${match[1]}`, typeof code]).toEqual([where, `${name}.${match[1]}`, 'string']);
        named.set(code as string, where);
      }
    }
    if (!rows) for (const match of text.matchAll(/new AppError\(\s*'([A-Z_]+)'/g)) named.set(match[1], where);
  }
  return named;
}

const enums = errorEnums();

describe.each(['issuance', 'merchant', 'redemption', 'settlement'] as AppName[])('the error codes of the %s app', (name) => {
  let app: NestFastifyApplication;
  let document: {
    paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    components: { schemas: Record<string, { enum?: string[]; description?: string; 'x-enum-descriptions'?: string[] }> };
  };

  beforeAll(async () => {
    app = await bootApp(name);
    document = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body;
  });

  afterAll(async () => {
    await app.close();
  });

  it('are all listed in /docs, each with its status and meaning', () => {
    const named = codesNamedIn(filesOf(name), enums);
    expect(named.size).toBeGreaterThan(15);
    const schema = document.components.schemas.ErrorCode;
    const listed = new Set(schema.enum);
    const missing = [...named].filter(([code]) => !listed.has(code)).map(([code, where]) => `${code} (${where})`);
    expect(missing).toEqual([]);
    expect(schema['x-enum-descriptions']).toHaveLength(listed.size);
    for (const [code] of named) {
      const entry = cataloguedCode(code);
      expect(schema.description).toContain(`- \`${code}\` (${entry?.status}): ${entry?.meaning}`);
    }
  });

  it("list the codes of rows' problems, in the answers about uploaded files", () => {
    const named = codesNamedIn(filesOf(name), enums, true);
    const listed = new Set(document.components.schemas.RowProblemCode?.enum ?? []);
    expect([...named].filter(([code]) => !listed.has(code)).map(([code, where]) => `${code} (${where})`)).toEqual([]);
    if (name === 'merchant' || name === 'settlement') expect(named.size).toBeGreaterThan(5);
  });

  it('are the body of a 4XX and a 5XX answer of every operation', () => {
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    expect(operations.length).toBeGreaterThan(2);
    for (const operation of operations) {
      expect(operation.responses['4XX']).toEqual({ $ref: '#/components/responses/Error' });
      expect(operation.responses['5XX']).toEqual({ $ref: '#/components/responses/Error' });
    }
    expect(document.components.schemas.Error).toMatchObject({
      required: ['code', 'message', 'requestId'],
      properties: { code: { $ref: '#/components/schemas/ErrorCode' } },
    });
  });
});
