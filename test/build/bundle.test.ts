import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { modulesFolder, projectRoot } from '../../src/app/paths.js';
import { type CompiledTemplates, createViewEnvironment } from '../../src/platform/views/views.js';

/**
 * The esbuild bundle that `npm run build` makes and `commons` runs when it is fresh: built here into a folder of its
 * own, then used as a newcomer would, so a module loaded by path (a migration, a worker, a module run in a worker) or
 * a folder found from the code (templates, static files, data) that the bundle cannot reach fails here.
 */

const run = promisify(execFile);
const bundleFolder = path.join(projectRoot, 'dist', `bundle-check-${process.pid}`);
const runner = path.join(bundleFolder, 'run.mjs');
const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-bundle-'));
const env = {
  ...process.env,
  COMMONS_DATA_DIR: dataDirectory,
  LOG_LEVEL: 'warn',
  DATABASE_URL: '',
  COMMONS_SEED_DEMO: 'false',
  NODE_ENV: 'development',
};

function commons(args: string[]) {
  return run(process.execPath, [runner, ...args], { env, cwd: os.tmpdir(), maxBuffer: 10 * 1024 * 1024 });
}

describe('the bundled commons command', () => {
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    await run(process.execPath, [path.join(projectRoot, 'scripts', 'bundle.mjs'), bundleFolder], { cwd: projectRoot });
    fs.writeFileSync(runner, "const { main } = await import('./commons.js');\nprocess.exitCode = await main(process.argv.slice(2));\n");
  }, 120_000);

  afterAll(() => {
    if (server && server.exitCode === null) server.kill('SIGKILL');
    fs.rmSync(bundleFolder, { recursive: true, force: true });
    fs.rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('holds the command, every migration and the modules started by path, each under its own name', () => {
    const files = new Set(fs.readdirSync(bundleFolder));
    const migrations = fs.readdirSync(path.join(projectRoot, 'src', 'migrations')).filter((file) => /^\d{4}_[a-z0-9_]+\.ts$/.test(file));
    expect(migrations.length).toBeGreaterThan(10);
    for (const file of [
      'commons.ts',
      'bounded-parser.worker.ts',
      'bounded-parser.builtins.ts',
      'spend-copy-chunks.worker.ts',
      'publiccode-parser.ts',
      ...migrations,
    ])
      expect(files, file).toContain(file.replace(/\.ts$/, '.js'));
  });

  it('holds every page template compiled, rendering as the template files do', () => {
    const compiled = createRequire(import.meta.url)(path.join(bundleFolder, 'templates.cjs')) as CompiledTemplates;
    const fromBundle = createViewEnvironment({ moduleFolders: [modulesFolder], compiled });
    const fromFiles = createViewEnvironment({ moduleFolders: [modulesFolder], compiled: null });
    const context = { csrfToken: 'token', errors: {}, values: {}, title: 'A title' };
    const render = (environment: typeof fromFiles, name: string) => {
      try {
        return environment.render(name, context);
      } catch (error) {
        return `failed: ${(error as Error).message.split('\n')[0]?.replace(/\(.*?\)/g, '')}`;
      }
    };
    const pages = Object.keys(compiled).filter((name) => !name.startsWith('govuk/'));
    expect(pages).toContain('error.njk');
    let rendered = 0;
    for (const name of pages) {
      const html = render(fromFiles, name);
      if (!html.startsWith('failed')) rendered += 1;
      if (!html.startsWith('failed')) expect(render(fromBundle, name), name).toBe(html);
    }
    // Most pages render without their route's context; each of those must come out the same either way.
    expect(rendered).toBeGreaterThan(50);
  });

  it('migrates a new data directory and imports through its workers', async () => {
    const migrated = await commons(['migrate']);
    expect(migrated.stderr).not.toMatch(/error/i);
    const publiccode = await commons([
      'import',
      'publiccode',
      '--json',
      path.join(projectRoot, 'test', 'fixtures', 'publiccode', 'amsterdam-signals-frontend.publiccode.yml'),
    ]);
    expect(JSON.parse(publiccode.stdout.trim())).toMatchObject({ status: 'created' });
    const spendFile = path.join(
      projectRoot,
      'test',
      'fixtures',
      'spend',
      'trafford',
      fs.readdirSync(path.join(projectRoot, 'test', 'fixtures', 'spend', 'trafford')).find((file) => file.endsWith('.csv')) ?? '',
    );
    const spend = await commons(['import', 'spend', '--org', 'E08000009', spendFile]);
    expect(spend.stdout).toMatch(/imported/i);
  }, 120_000);

  it('serves pages with their templates, styles and the API description', async () => {
    // Port 0: the server takes a free port and says which in its ready line, so no other server is asked instead.
    server = spawn(process.execPath, [runner, 'serve'], {
      env: { ...env, PORT: '0', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const base = await new Promise<string>((resolve, reject) => {
      let output = '';
      server?.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const address = /"address":"(http:\/\/[^"]+)"/.exec(output)?.[1];
        if (address) resolve(address);
      });
      server?.on('exit', (code) => reject(new Error(`the server exited with ${code}: ${output}`)));
    });
    const page = await fetch(`${base}/organisations`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('govuk-footer');
    const components = await (await fetch(`${base}/components`)).text();
    expect(components).toContain('Signalen frontend');
    expect((await fetch(`${base}/assets/govuk-frontend.min.css`)).status).toBe(200);
    const api = (await (await fetch(`${base}/api/v1/openapi.json`)).json()) as { openapi: string };
    expect(api.openapi).toBe('3.1.0');
  }, 120_000);
});
