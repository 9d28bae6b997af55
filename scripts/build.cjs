#!/usr/bin/env node
// Compiles apps, libs and scripts into dist/ in one tsc pass, rewrites the @vouchers/* path
// aliases to relative requires, and copies the non-TypeScript assets (Lua scripts).
'use strict';
const { execFileSync } = require('node:child_process');
const { cpSync, readdirSync, rmSync, statSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
function run(cmd, args) {
  try {
    execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
  } catch (error) {
    process.exit(typeof error.status === 'number' ? error.status : 1);
  }
}

function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copyAssets(path);
    else if (name.endsWith('.lua')) cpSync(path, join(root, 'dist', relative(root, path)));
  }
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
run(bin('tsc'), ['-p', 'tsconfig.build.json']);
run(bin('tsc-alias'), ['-p', 'tsconfig.build.json']);
copyAssets(join(root, 'libs'));
copyAssets(join(root, 'apps'));
run(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'apps/web/vite.config.mts', '--logLevel', 'warn']);
