import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Where the running code and the project's files are, whichever way the code runs:
 * - from the TypeScript sources through tsx (src/);
 * - compiled file by file by tsc (dist/, the same layout as src/);
 * - bundled by esbuild (dist/bundle/, one flat folder: the command, its chunks, the workers, the modules run in
 *   workers and the migrations, each under its own file name). The bundler defines COMMONS_BUNDLED.
 */

declare const COMMONS_BUNDLED: boolean | undefined;

/** True in the esbuild bundle. */
export const bundled = typeof COMMONS_BUNDLED !== 'undefined' && COMMONS_BUNDLED;

/** True when running the TypeScript sources (tsx), where workers must register tsx before importing a module. */
export const runningFromSource = import.meta.url.endsWith('.ts');

const here = path.dirname(fileURLToPath(import.meta.url));

/** The nearest folder at or above `start` that holds the project's package.json. */
export function findProjectRoot(start: string): string {
  for (let folder = start; ; folder = path.dirname(folder)) {
    if (fs.existsSync(path.join(folder, 'package.json')) && fs.existsSync(path.join(folder, 'src', 'platform'))) return folder;
    if (path.dirname(folder) === folder) throw new Error(`No project folder (package.json beside src/platform) above ${start}`);
  }
}

/** The project's root folder: package.json, data/, src/ (templates and static files stay there in every layout). */
export const projectRoot = findProjectRoot(here);

/** The root of the running code: src/, dist/, or the bundle's folder. */
export const codeRoot = bundled ? here : path.dirname(here);

/**
 * A module of the running code by its path under src/ without extension ("platform/parsing/bounded-parser.worker"):
 * the file to import or to start as a worker. The bundle keeps such modules flat, under their own names.
 */
export function codeFile(pathUnderSource: string): string {
  if (bundled) return path.join(codeRoot, `${path.basename(pathUnderSource)}.js`);
  return path.join(codeRoot, `${pathUnderSource}${runningFromSource ? '.ts' : '.js'}`);
}

/** codeFile as a file: URL, for import(). */
export function codeModuleUrl(pathUnderSource: string): string {
  return pathToFileURL(codeFile(pathUnderSource)).href;
}

/** The folder of the migrations to run: the bundle's own folder in the bundle (the migrator reads only NNNN_name files). */
export const migrationsFolder = bundled ? codeRoot : path.join(codeRoot, 'migrations');

/** tsx's ESM API, found through its package.json exports as an `import` would (createRequire alone gives the CommonJS build). */
function tsxApiUrl(): string {
  const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import?: { default?: string } }> };
  const entry = manifest.exports['./esm/api']?.import?.default;
  if (!entry) throw new Error('tsx does not export ./esm/api for import');
  return new URL(entry, pathToFileURL(manifestPath)).href;
}

/**
 * Starts a worker thread running a module of the code (its path under src/ without extension). From the TypeScript
 * sources the worker is a small script that registers tsx first and then imports the module (Node 20 ignores
 * `--import` in a worker's execArgv).
 */
export function startCodeWorker(pathUnderSource: string, options: WorkerOptions): Worker {
  if (!runningFromSource) return new Worker(codeFile(pathUnderSource), options);
  const script = codeModuleUrl(pathUnderSource);
  const bootstrap = `import(${JSON.stringify(tsxApiUrl())}).then(({ register }) => { register(); return import(${JSON.stringify(script)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}
