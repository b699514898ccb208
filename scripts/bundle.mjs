// Bundles the `commons` command with esbuild into one flat folder (dist/bundle by default, or the folder given as the
// first argument), for start-up time: Node then reads a few large files instead of some two thousand small ones.
// Besides the command, the modules that are started or imported by path (the workers, the modules run in them and the
// migrations) are entry points of their own, kept under their own names; src/platform/code-locations.ts finds them.
// Packages that find files beside their own code (PGlite's WebAssembly) or load only for some commands stay outside
// the bundle, read from node_modules. The swagger plugin and pino are bundled: loaded from node_modules they took
// 0.15 s of start-up. (The swagger plugin reads its own package.json only for a title and version that the platform
// names itself, and the platform's logger writes to standard output, with none of pino's transports, which would
// need their worker files beside pino's code.)
// The Nunjucks templates are compiled here too (templates.cjs), so the first pages need not compile them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import nunjucks from 'nunjucks';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.resolve(root, process.argv[2] ?? path.join('dist', 'bundle'));

const PATH_LOADED_MODULES = [
  'src/platform/parsing/bounded-parser.worker.ts',
  'src/platform/parsing/bounded-parser.builtins.ts',
  'src/modules/spend/spend-copy-chunks.worker.ts',
  'src/modules/catalogue/publiccode/publiccode-parser.ts',
  'src/platform/database/pglite-thread.worker.ts',
];

const EXTERNAL = ['@electric-sql/pglite', 'ajv-draft-04', 'ajv-formats', 'iconv-lite', 'nodemailer', 'pg', 'pg-copy-streams', 'tsx'];

const migrations = fs
  .readdirSync(path.join(root, 'src', 'migrations'))
  .filter((file) => /^\d{4}_[a-z0-9_]+\.ts$/.test(file))
  .map((file) => path.join('src', 'migrations', file));

const entryPoints = ['src/cli/commons.ts', ...PATH_LOADED_MODULES, ...migrations].map((file) => ({
  in: path.join(root, file),
  out: path.basename(file, '.ts'),
}));

fs.rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints,
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  define: { COMMONS_BUNDLED: 'true' },
  // Bundled CommonJS packages call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __commonsCreateRequire } from 'node:module'; const require = __commonsCreateRequire(import.meta.url);",
  },
  chunkNames: 'chunk-[hash]',
  sourcemap: 'linked',
  // Whitespace and syntax only: names stay as written, for stack traces and anything that reads a function's name.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});

/**
 * The template folders in the order src/platform/views/views.ts searches them (a name found in an earlier folder
 * wins), and the lexer options of its environment: both must stay the same as there.
 */
const TEMPLATE_FOLDERS = [
  path.join(root, 'src', 'platform', 'views', 'templates'),
  path.join(root, 'src', 'modules'),
  path.join(path.dirname(createRequire(import.meta.url).resolve('govuk-frontend/package.json')), 'dist'),
];
const TEMPLATE_OPTIONS = { trimBlocks: true, lstripBlocks: true };

/** Each template compiled to the function Nunjucks would make of it, keyed by its name; named from `/` so that
 * relative includes (`../error-message/macro.njk`) resolve among these names. */
function compileTemplates() {
  const compiled = new Map();
  for (const folder of TEMPLATE_FOLDERS) {
    for (const file of fs.readdirSync(folder, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.njk')) continue;
      const name = file.split(path.sep).join('/');
      if (compiled.has(name)) continue;
      const source = fs.readFileSync(path.join(folder, file), 'utf8');
      compiled.set(name, nunjucks.compiler.compile(source, [], [], `/${name}`, TEMPLATE_OPTIONS));
    }
  }
  const body = [...compiled].map(([name, code]) => `exports[${JSON.stringify(name)}] = function () {\n${code}\n};\n`);
  fs.writeFileSync(path.join(outdir, 'templates.cjs'), `'use strict';\n${body.join('')}`);
}

compileTemplates();
