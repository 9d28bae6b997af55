// What the docs contract test (test/docs-contract.e2e-spec.ts) cannot do inside jest, whose
// modules are CommonJS: Redocly's linter and openapi-typescript are ES modules. Reads
// `{ "<app>": <OpenAPI document>, ... }` on stdin; writes, for each app, the problems Redocly's
// recommended rules find and the TypeScript types openapi-typescript generates for a client.
import { createConfig, lintFromString } from '@redocly/openapi-core';
import openapiTS, { astToString } from 'openapi-typescript';
import { Buffer } from 'node:buffer';
import process from 'node:process';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const documents = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const config = await createConfig({ extends: ['recommended'] });
const results = {};
for (const [name, document] of Object.entries(documents)) {
  const source = JSON.stringify(document);
  const problems = await lintFromString({ source, absoluteRef: `${name}.json`, config });
  results[name] = {
    problems: problems.map((problem) => ({
      rule: problem.ruleId,
      severity: problem.severity,
      message: problem.message,
      where: problem.location.map((location) => location.pointer).join(' '),
    })),
    types: astToString(await openapiTS(source)),
  };
}
process.stdout.write(JSON.stringify(results));
