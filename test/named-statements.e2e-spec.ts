import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DataSource } from 'typeorm';
import { openTestDatabase } from './support/database';

/**
 * Hand-written SQL lives only in `*.sql.ts` files of named statements beside the use case that
 * runs them (set-based statements and the two hot paths); ordinary reads and writes go through
 * TypeORM. This file holds both rules: every named statement is prepared against the migrated
 * schema, so a renamed or dropped column fails here rather than in production, and no other
 * source file hands SQL text to `.query()`.
 */

const ROOT = join(__dirname, '..');
const SOURCE_ROOTS = ['apps', 'libs', 'scripts'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const files = SOURCE_ROOTS.flatMap((root) => sourceFiles(join(ROOT, root)));
const statementFiles = files.filter((file) => file.endsWith('.sql.ts'));

interface NamedStatement {
  file: string;
  name: string;
  text: string;
}

function namedStatements(): NamedStatement[] {
  return statementFiles.flatMap((file) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(file) as Record<string, unknown>;
    return Object.entries(exported)
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
      .map(([name, text]) => ({ file: relative(ROOT, file), name, text }));
  });
}

/**
 * SQL text outside a statements file: `.query(` whose first argument is a string or template
 * literal, or a literal that opens with a statement's keyword (a constant kept beside its use).
 */
const INLINE_SQL = /\.query(?:<[^>]*>)?\(\s*[`'"]|[`'"]\s*(?:SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|WITH \w+ AS)\b/g;

/** `DECLARE name [NO SCROLL] CURSOR FOR`, before a cursor's query. */
const DECLARE_CURSOR = /^\s*DECLARE\s+(\w+)\s+(?:NO\s+SCROLL\s+)?CURSOR\s+FOR\s+/i;
/** `FETCH … FROM name` or `CLOSE name`: answers the cursor's name. */
const CURSOR_COMMAND = /^\s*(?:FETCH\s+(?:\d+\s+)?FROM|CLOSE)\s+(\w+)\s*$/i;

function declaredCursors(file: string): string[] {
  return namedStatements()
    .filter((statement) => statement.file === file)
    .map((statement) => DECLARE_CURSOR.exec(statement.text)?.[1])
    .filter((name): name is string => name !== undefined);
}

function lineOf(source: string, index: number): number {
  return source.slice(0, index).split('\n').length;
}

describe('named SQL statements', () => {
  let db: DataSource;
  const statements = namedStatements();

  beforeAll(async () => {
    db = await openTestDatabase();
  });

  afterAll(async () => {
    await db.destroy();
  });

  it('are found', () => {
    expect(statements.length).toBeGreaterThan(0);
  });

  it.each(statements.map((statement) => [`${statement.file} ${statement.name}`, statement]))(
    'prepare against the migrated schema: %s',
    async (_label, statement) => {
      const runner = db.createQueryRunner();
      await runner.connect();
      try {
        // A cursor's commands cannot be prepared: DECLARE's query is, and FETCH and CLOSE
        // must name a cursor a statement of the same file declares.
        const cursorCommand = CURSOR_COMMAND.exec(statement.text);
        if (cursorCommand) {
          expect(declaredCursors(statement.file)).toContain(cursorCommand[1]);
          return;
        }
        const query = statement.text.replace(DECLARE_CURSOR, '');
        // PREPARE parses and plans against the catalog without running anything; an unknown
        // column, table or function, or a parameter whose type cannot be inferred, fails here.
        await runner.query(`PREPARE named_statement_check AS ${query}`);
        await runner.query('DEALLOCATE named_statement_check');
      } finally {
        await runner.release();
      }
    },
  );

  it('are the only SQL text handed to .query() outside migrations and tests', () => {
    const inline = files
      // Scripts (benchmarks, the fault run, the demo seed) arrange rows as tests do.
      .filter((file) => !file.startsWith(join(ROOT, 'scripts')))
      .filter((file) => !file.endsWith('.sql.ts') && !file.endsWith('.spec.ts') && !file.includes('/migrations/'))
      .flatMap((file) => {
        const source = readFileSync(file, 'utf8');
        return [...source.matchAll(INLINE_SQL)].map((match) => `${relative(ROOT, file)}:${lineOf(source, match.index ?? 0)}`);
      });
    expect(inline).toEqual([]);
  });
});
