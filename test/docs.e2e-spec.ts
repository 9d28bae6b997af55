/**
 * The README and docs/*.md stay true to the tree: docs/configuration.md's table lists
 * exactly the keys libs/config validates, and every relative path the documents name exists.
 * Reads files only (no services).
 */
import { CONFIG_KEYS, envNameOf } from '@vouchers/config';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(__dirname, '..');
/** Variables the table may name besides the keys: read before the configuration, to find its files. */
const OUTSIDE_THE_KEYS = ['CONFIG_DIR'];
/** Made by a build, a run or `.ci/run` (its Node, on a machine whose own is older), never committed. */
const GENERATED = ['dist/', '.data/', 'node_modules/', '.ci/node/'];

const documents = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The variables named (in backquotes) in the first column of the document's tables. */
function configTableVariables(document: string): string[] {
  const names: string[] = [];
  for (const line of document.split('\n')) {
    if (!line.startsWith('|') || /^\|\s*-/.test(line)) continue;
    const firstCell = line.split('|')[1] ?? '';
    for (const [, name] of firstCell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.push(name);
  }
  return names;
}

/**
 * The repository paths a document names: markdown link targets (relative to the document) and
 * words that start at a top-level entry of the repository or with ./ or ../ (relative to the
 * root, as the documents write them). A placeholder (`<app>`, `*`) ends what can be checked.
 */
function namedPaths(text: string, topLevel: Set<string>): Array<{ path: string; fromDocument: boolean }> {
  const found: Array<{ path: string; fromDocument: boolean }> = [];
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue;
    found.push({ path: target.split('#')[0], fromDocument: true });
  }
  for (const [word] of text.matchAll(/(?<![\w/.:@(-])(?:\.{1,2}\/)?[\w.@<>*-]+(?:\/[\w.@<>*-]*)+/g)) {
    const path = word.replace(/[.,;:]+$/, '');
    const first = path.split('/')[0];
    if (first === '.' || first === '..' || topLevel.has(first)) found.push({ path, fromDocument: false });
  }
  return found;
}

describe('the README', () => {
  const readme = read('README.md');

  it('is at most 150 lines', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(151);
  });

  it('points to docs/configuration.md for the configuration keys', () => {
    expect(readme).toContain('](docs/configuration.md)');
  });
});

describe('docs/configuration.md', () => {
  it('lists every configuration key in its table, and only those', () => {
    const listed = configTableVariables(read('docs/configuration.md'));
    const keys = Object.keys(CONFIG_KEYS).map(envNameOf);
    const missingFromTheReadme = keys.filter((name) => !listed.includes(name));
    const notAConfigurationKey = listed.filter((name) => !keys.includes(name) && !OUTSIDE_THE_KEYS.includes(name));
    expect({ missingFromTheReadme, notAConfigurationKey }).toEqual({ missingFromTheReadme: [], notAConfigurationKey: [] });
  });
});

describe('the README and docs/*.md', () => {
  const topLevel = new Set([...readdirSync(ROOT), ...GENERATED.map((prefix) => prefix.slice(0, -1))]);

  it('name only paths that exist in the repository', () => {
    const missing: string[] = [];
    for (const document of documents) {
      for (const { path, fromDocument } of namedPaths(read(document), topLevel)) {
        const checkable = path.split(/[<*{]/)[0];
        const resolved = fromDocument ? join(ROOT, dirname(document), checkable) : join(ROOT, checkable);
        const inRepo = relative(ROOT, resolved);
        if (inRepo.startsWith('..')) missing.push(`${document}: ${path} (outside the repository)`);
        else if (GENERATED.some((prefix) => `${inRepo}/`.startsWith(prefix))) continue;
        else if (!existsSync(resolved)) missing.push(`${document}: ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('finds the paths it checks (the check itself works)', () => {
    const topLevelHere = new Set(['apps', 'docs']);
    const paths = namedPaths('See [x](docs/a.md), `apps/issuance/src/main.ts`, text/csv and ../shared/DESIGN.md.', topLevelHere).map((p) => p.path);
    expect(paths).toEqual(['docs/a.md', 'apps/issuance/src/main.ts', '../shared/DESIGN.md']);
    expect(configTableVariables('# Configuration\n\n| variable |\n| --- |\n| `A_B` `C` |\n\nText with `D`.\n| `E` | `F` |\n')).toEqual(['A_B', 'C', 'E']);
  });
});
