import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/**
 * A PostgreSQL primary and a hot standby streaming from it, made for one test file with the server binaries already on
 * this machine (initdb, pg_ctl, pg_basebackup): no service to install. Both listen on 127.0.0.1 only, with trust
 * authentication, in a temporary folder removed at the end. PostgreSQL refuses to run as root, so under root (CI)
 * the binaries run as the `postgres` user the server package creates.
 */
export interface ReplicaCluster {
  primaryUrl: string;
  standbyUrl: string;
  /** Runs one statement on the standby as its superuser (pausing replay, reading its position). */
  onStandby(statement: string): Promise<pg.QueryResult>;
  onPrimary(statement: string): Promise<pg.QueryResult>;
  /** Waits until the standby has replayed everything the primary has written so far. */
  waitForStandbyToCatchUp(): Promise<void>;
  stopStandby(): Promise<void>;
  startStandby(): Promise<void>;
  destroy(): Promise<void>;
}

/** The newest installed server's binaries (Debian keeps them out of PATH), else whatever PATH finds. */
function serverBinary(name: string): string {
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root)) {
    const versions = fs
      .readdirSync(root)
      .filter((entry) => fs.existsSync(path.join(root, entry, 'bin', name)))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(root, versions[0], 'bin', name);
  }
  return name;
}

async function asServerUser(binary: string, args: string[]): Promise<void> {
  const asRoot = process.getuid?.() === 0;
  const [command, commandArgs] = asRoot
    ? ['runuser', ['-u', 'postgres', '--', serverBinary(binary), ...args]]
    : [serverBinary(binary), args];
  try {
    await run(command, commandArgs, { timeout: 60_000 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`${binary} failed: ${stderr.trim() || String(error)}`, { cause: error });
  }
}

/** Copies a database from one server to another with pg_dump and pg_restore (as the current user: only clients). */
export async function copyDatabase(fromUrl: string, toUrl: string, dumpFile: string): Promise<void> {
  await run(serverBinary('pg_dump'), ['-Fc', '-Z', '0', '-f', dumpFile, '-d', fromUrl], { timeout: 120_000 });
  await run(serverBinary('pg_restore'), ['--no-owner', '--no-privileges', '-d', toUrl, dumpFile], { timeout: 120_000 });
  fs.rmSync(dumpFile, { force: true });
}

/** A port from the range this suite may use that nothing listens on now. */
async function freePort(from: number, to: number, taken: number[] = []): Promise<number> {
  for (let port = from; port <= to; port += 1) {
    if (taken.includes(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`No free port between ${from} and ${to} for the test replica`);
}

async function query(url: string, statement: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * Starts the primary, lets `prepare` fill its database (migrations, reference data), then copies it with
 * pg_basebackup -R and starts the copy as a hot standby.
 */
export async function startReplicaCluster(prepare: (primaryUrl: string, scratchFolder: string) => Promise<void>): Promise<ReplicaCluster> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-replica-'));
  if (process.getuid?.() === 0) await run('chown', ['postgres', folder]);
  const primaryDirectory = path.join(folder, 'primary');
  const standbyDirectory = path.join(folder, 'standby');
  const primaryPort = await freePort(5440, 5449);
  const standbyPort = await freePort(5440, 5449, [primaryPort]);
  const serverOptions = (port: number) => `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = (directory: string, port: number, log: string) =>
    asServerUser('pg_ctl', ['-D', directory, '-o', serverOptions(port), '-w', '-t', '60', '-l', path.join(folder, log), 'start']);
  const stop = (directory: string) => asServerUser('pg_ctl', ['-D', directory, '-m', 'fast', '-w', 'stop']);
  const url = (port: number, database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;

  let primaryStarted = false;
  let standbyRunning = false;
  const destroy = async () => {
    if (standbyRunning) await stop(standbyDirectory).catch(() => undefined);
    if (primaryStarted) await stop(primaryDirectory).catch(() => undefined);
    fs.rmSync(folder, { recursive: true, force: true });
  };
  try {
    // initdb's trust set-up also allows replication connections from 127.0.0.1, which pg_basebackup needs.
    await asServerUser('initdb', ['-D', primaryDirectory, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
    await start(primaryDirectory, primaryPort, 'primary.log');
    primaryStarted = true;
    await query(url(primaryPort, 'postgres'), 'create database commons');
    const primaryUrl = url(primaryPort, 'commons');
    await prepare(primaryUrl, folder);
    await asServerUser('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      'postgres',
      '-D',
      standbyDirectory,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
    ]);
    await start(standbyDirectory, standbyPort, 'standby.log');
    standbyRunning = true;
    const standbyUrl = url(standbyPort, 'commons');
    const cluster: ReplicaCluster = {
      primaryUrl,
      standbyUrl,
      onStandby: (statement) => query(standbyUrl, statement),
      onPrimary: (statement) => query(primaryUrl, statement),
      async waitForStandbyToCatchUp() {
        const target = (await query(primaryUrl, 'select pg_current_wal_lsn()::text as lsn')).rows[0] as { lsn: string };
        for (let attempt = 0; attempt < 200; attempt += 1) {
          const replayed = await query(standbyUrl, `select pg_last_wal_replay_lsn() >= '${target.lsn}'::pg_lsn as caught_up`);
          if ((replayed.rows[0] as { caught_up: boolean }).caught_up) return;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        throw new Error('The standby did not catch up with the primary within 10 seconds');
      },
      async stopStandby() {
        await stop(standbyDirectory);
        standbyRunning = false;
      },
      async startStandby() {
        await start(standbyDirectory, standbyPort, 'standby.log');
        standbyRunning = true;
      },
      destroy,
    };
    return cluster;
  } catch (error) {
    await destroy();
    throw error;
  }
}
