#!/usr/bin/env node
// Entry point of the `commons` command. It runs the compiled bundle in dist/bundle when that is newer than every
// source file and template (start-up time matters), and otherwise the TypeScript sources through tsx, so an edit is
// never run stale.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.build-stamp');

// The files the bundle is made from: the code, and the templates it holds compiled.
const isBundled = (name) => (name.endsWith('.ts') && !name.endsWith('.test.ts')) || name.endsWith('.njk');

function newestSourceTime(folder) {
  let newest = 0;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceTime(full));
    else if (isBundled(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function compiledIsFresh() {
  try {
    return fs.statSync(stamp).mtimeMs >= newestSourceTime(path.join(root, 'src'));
  } catch {
    return false;
  }
}

let main;
if (process.env.COMMONS_FROM_SOURCE !== 'true' && compiledIsFresh()) {
  ({ main } = await import('../dist/bundle/commons.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/commons.ts'));
}
process.exitCode = await main(process.argv.slice(2));
