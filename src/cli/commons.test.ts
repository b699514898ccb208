import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../app/paths.js';
import { openDatabase } from '../platform/database/database.js';

const commons = path.join(projectRoot, 'bin', 'commons.js');

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [commons, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function waitFor(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet listening
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never answered`);
}

describe('the commons command on the embedded database', () => {
  const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-cli-'));
  const port = 4300 + Math.floor(Math.random() * 500);
  const env = {
    ...process.env,
    COMMONS_DATA_DIR: dataDirectory,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DATABASE_URL: '',
    COMMONS_SEED_DEMO: 'false',
    NODE_ENV: 'development',
  };
  let server: ChildProcess;

  beforeAll(async () => {
    server = spawn(process.execPath, [commons, 'serve'], { env, stdio: 'ignore' });
    await waitFor(`http://127.0.0.1:${port}/healthz`, server);
  }, 120_000);

  afterAll(() => {
    if (server.exitCode === null) server.kill('SIGKILL');
    fs.rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('serves the register, seeded on first start', async () => {
    const body = (await (
      await fetch(`http://127.0.0.1:${port}/api/v1/organisations?nation=England&kind=principal&current=true&pageSize=1`)
    ).json()) as { total: number };
    expect(body.total).toBe(317);
  });

  it('refuses a second process on the same data directory with a message that says what to do', async () => {
    const result = await run(['migrate'], env);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`The embedded database in ${dataDirectory} is in use by another process (\`commons serve\``);
    expect(result.stderr).toContain(`serving http://127.0.0.1:${port}`);
    expect(result.stderr).toContain('Stop that process first');
  });

  it('stops on SIGTERM without losing a write it accepted', async () => {
    const signInPage = await fetch(`http://127.0.0.1:${port}/sign-in`);
    const cookie = (signInPage.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const token = /name="_csrf" value="([^"]+)"/.exec(await signInPage.text())?.[1] ?? '';
    const asked = await fetch(`http://127.0.0.1:${port}/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'last.write@example.test', _csrf: token }).toString(),
    });
    expect(asked.status).toBe(303);

    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(fs.existsSync(path.join(dataDirectory, 'commons.lock'))).toBe(false);

    const database = await openDatabase<{ mail_outbox: { recipient: string } }>({
      engine: 'pglite',
      dataDirectory: path.join(dataDirectory, 'pglite'),
    });
    const rows = await database.db.selectFrom('mail_outbox').select('recipient').execute();
    await database.close();
    expect(rows.map((row) => row.recipient)).toContain('last.write@example.test');
  }, 60_000);

  it('says what went wrong with a bad setting', async () => {
    const result = await run(['migrate'], { ...env, PORT: 'not-a-port' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Configuration is not valid:');
    expect(result.stderr).toContain('PORT:');
  });
});

describe('the first command a newcomer types, on a fresh data directory', () => {
  const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-cli-fresh-'));
  const env = { ...process.env, COMMONS_DATA_DIR: dataDirectory, LOG_LEVEL: 'warn', DATABASE_URL: '', NODE_ENV: 'development' };

  afterAll(() => fs.rmSync(dataDirectory, { recursive: true, force: true }));

  it('imports a spend file for a council named by GSS code: the register is loaded first', async () => {
    const file = path.join(dataDirectory, 'darlington-payments.csv');
    fs.writeFileSync(
      file,
      'Payment Date,Supplier Name,Amount\n03/04/2024,ACME SUPPLIES LTD,1200.50\n04/04/2024,NORTHERN BUSES PLC,"2,000.00"\n',
    );
    const result = await run(['import', 'spend', '--org', 'E06000005', file], env);
    expect(result.stderr).not.toContain('No organisation');
    expect(result.stdout).toContain('darlington-payments.csv: imported 2 rows');
    expect(result.stdout).toContain('£3,200.50');
    expect(result.code).toBe(0);

    const fileId = /as file (\d+)/.exec(result.stdout)?.[1] ?? '';
    const corrected = path.join(dataDirectory, 'darlington-payments-corrected.csv');
    fs.writeFileSync(corrected, 'Payment Date,Supplier Name,Amount\n03/04/2024,ACME SUPPLIES LTD,1200.00\n');
    const replaced = await run(['replace', 'spend', fileId, corrected], env);
    expect(replaced.stdout).toContain('darlington-payments-corrected.csv: imported 1 rows');
    expect(replaced.stdout).toContain(`darlington-payments.csv (file ${fileId}): withdrawn, replaced by file`);
    const newId = /replaced by file (\d+)/.exec(replaced.stdout)?.[1] ?? '';
    const withdrawn = await run(['withdraw', 'spend', newId, '--reason', 'published in error'], env);
    expect(withdrawn.stdout).toContain(`darlington-payments-corrected.csv (file ${newId}): withdrawn; its 1 payments no longer count`);
    expect((await run(['withdraw', 'spend', newId], env)).stderr).toContain('is withdrawn, not imported');
  }, 240_000);

  it('refuses a file that names another council, unless told to accept it', async () => {
    const file = path.join(dataDirectory, 'devon-for-darlington.csv');
    fs.writeFileSync(file, 'Body Name,Payment Date,Supplier Name,Amount\nDevon County Council,03/04/2024,ACME SUPPLIES LTD,1200.50\n');
    const refused = await run(['import', 'spend', '--org', 'E06000005', file], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('names its body as "Devon County Council", which is Devon (E10000008), not Darlington (E06000005)');
    const accepted = await run(['import', 'spend', '--org', 'E06000005', '--organisation-mismatch=accept', file], env);
    expect(accepted.stdout).toContain('imported 1 rows');
  }, 120_000);
});
