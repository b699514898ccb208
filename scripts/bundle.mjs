// Bundles the `commons` command with esbuild into one flat folder (dist/bundle by default, or the folder given as the
// first argument), for start-up time: Node then reads a few large files instead of some two thousand small ones.
// Besides the command, the modules that are started or imported by path (the workers, the modules run in them and the
// migrations) are entry points of their own, kept under their own names; src/platform/code-locations.ts finds them.
// Packages that find files beside their own code (PGlite's WebAssembly, pino's transport worker, the swagger
// plugin's package.json) or load only for some commands stay outside the bundle, read from node_modules.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.resolve(root, process.argv[2] ?? path.join('dist', 'bundle'));

const PATH_LOADED_MODULES = [
  'src/platform/parsing/bounded-parser.worker.ts',
  'src/platform/parsing/bounded-parser.builtins.ts',
  'src/modules/spend/spend-copy-chunks.worker.ts',
  'src/modules/catalogue/publiccode/publiccode-parser.ts',
];

const EXTERNAL = [
  '@electric-sql/pglite',
  '@fastify/swagger',
  'ajv-draft-04',
  'ajv-formats',
  'iconv-lite',
  'nodemailer',
  'pg',
  'pg-copy-streams',
  'pino',
  'tsx',
];

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
  logLevel: 'warning',
});
