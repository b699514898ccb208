import { AsyncLocalStorage } from 'node:async_hooks';
import type { CompiledQuery, DatabaseConnection, Driver, QueryResult, TransactionSettings } from 'kysely';

/**
 * Reads from a streaming replica, writes to the primary.
 *
 * One Kysely instance serves the whole application; its driver chooses a server per statement:
 *  - only when the work runs inside `runWithReadPreference({ readFrom: 'replica' })` (the web server marks anonymous
 *    GET requests so; see `http/read-routing.ts`) may a statement go to the replica, and then only a plain read
 *    (a Kysely select, or raw SQL that starts with SELECT/WITH and names no writing function);
 *  - transactions, writes, and every statement after the first write of the same request go to the primary
 *    (read-your-writes inside one request); code with no preference (commands, background work) uses the primary;
 *  - a replica that fails (refused, shut down, conflict with recovery, read-only refusal) has the statement re-run on the
 *    primary; connection failures also mark it down, and reads stay on the primary until a probe finds it again.
 */
export interface ReadPreference {
  readFrom: 'replica' | 'primary';
  /** Set when a statement of this unit of work changed something on the primary. */
  wrote: boolean;
}

const preference = new AsyncLocalStorage<ReadPreference>();

/** Runs `work` with the given read preference (one per request). */
export function runWithReadPreference<T>(value: ReadPreference, work: () => T): T {
  return preference.run(value, work);
}

export function currentReadPreference(): ReadPreference | undefined {
  return preference.getStore();
}

export interface ReplicaHealth {
  status: 'ok' | 'down';
  /** Where reads that could use the replica go now. */
  readsFrom: 'replica' | 'primary';
  /** Why the replica is down, in words (no connection details). */
  detail?: string;
}

export interface ReplicaRouter {
  /** The replica's state as last seen; `probe` refreshes it. */
  health(): ReplicaHealth;
  /** Asks the replica now (a short query) and returns its state. */
  probe(): Promise<ReplicaHealth>;
  /** How many statements the replica answered (a test and operations figure). */
  readsServed(): number;
}

/** Raw SQL counts as a read only when it starts as a query and calls nothing that writes or locks. */
const RAW_READ = /^\s*(select|with)\b/i;
const LOCKING = /\bfor\s+(update|share|no\s+key\s+update|key\s+share)\b/i;
const RAW_WRITE = /\b(insert|update|delete|merge|truncate|copy|nextval|setval|pg_advisory\w*)\b/i;

export function isReadStatement(query: CompiledQuery): boolean {
  const kind = query.query.kind;
  if (kind === 'SelectQueryNode') return !LOCKING.test(query.sql);
  if (kind === 'RawNode') return RAW_READ.test(query.sql) && !RAW_WRITE.test(query.sql) && !LOCKING.test(query.sql);
  return false;
}

/** Errors that say the replica cannot be reached (rather than that one statement failed there). */
function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return true;
  return /^(08|57P)/.test(code) || /^E[A-Z]+$/.test(code);
}

const PROBE_INTERVAL_MS = 5_000;

/** A driver over a primary and a replica driver; see the comment at the top of this file. */
export class ReadRoutingDriver implements Driver, ReplicaRouter {
  #state: ReplicaHealth = { status: 'ok', readsFrom: 'replica' };
  #served = 0;
  #probeTimer: NodeJS.Timeout | null = null;
  #destroyed = false;

  constructor(
    private readonly primary: Driver,
    private readonly replica: Driver,
  ) {}

  async init(): Promise<void> {
    await this.primary.init();
    await this.replica.init();
  }

  acquireConnection(): Promise<DatabaseConnection> {
    return Promise.resolve(new RoutingConnection(this));
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await this.primary.beginTransaction(await routing(connection).primaryConnection(), settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.primary.commitTransaction(await routing(connection).primaryConnection());
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.primary.rollbackTransaction(await routing(connection).primaryConnection());
  }

  async savepoint(...[connection, name, compile]: Parameters<NonNullable<Driver['savepoint']>>): Promise<void> {
    await this.primary.savepoint?.(await routing(connection).primaryConnection(), name, compile);
  }

  async rollbackToSavepoint(...[connection, name, compile]: Parameters<NonNullable<Driver['rollbackToSavepoint']>>): Promise<void> {
    await this.primary.rollbackToSavepoint?.(await routing(connection).primaryConnection(), name, compile);
  }

  async releaseSavepoint(...[connection, name, compile]: Parameters<NonNullable<Driver['releaseSavepoint']>>): Promise<void> {
    await this.primary.releaseSavepoint?.(await routing(connection).primaryConnection(), name, compile);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const held = routing(connection).release();
    if (held) await this.primary.releaseConnection(held);
  }

  async destroy(): Promise<void> {
    this.#destroyed = true;
    if (this.#probeTimer) clearTimeout(this.#probeTimer);
    await Promise.all([this.primary.destroy(), this.replica.destroy()]);
  }

  health(): ReplicaHealth {
    return { ...this.#state };
  }

  readsServed(): number {
    return this.#served;
  }

  async probe(): Promise<ReplicaHealth> {
    try {
      await this.#onReplica((connection) => connection.executeQuery(probeQuery()));
      this.#markUp();
    } catch (error) {
      this.#markDown(error);
    }
    return this.health();
  }

  /** Primary unless the unit of work prefers the replica, has not written, and the replica is up. */
  wantsReplica(query: CompiledQuery): boolean {
    const wanted = currentReadPreference();
    return wanted?.readFrom === 'replica' && !wanted.wrote && this.#state.status === 'ok' && isReadStatement(query);
  }

  /** Runs a read on the replica; on any failure there, answers from the primary instead. */
  async readOnReplica<R>(query: CompiledQuery, onPrimary: () => Promise<QueryResult<R>>): Promise<QueryResult<R>> {
    try {
      const result = await this.#onReplica((connection) => connection.executeQuery<R>(query));
      this.#served += 1;
      return result;
    } catch (error) {
      if (isConnectionFailure(error)) this.#markDown(error);
      return onPrimary();
    }
  }

  acquirePrimary(): Promise<DatabaseConnection> {
    return this.primary.acquireConnection();
  }

  async #onReplica<T>(work: (connection: DatabaseConnection) => Promise<T>): Promise<T> {
    const connection = await this.replica.acquireConnection();
    try {
      return await work(connection);
    } finally {
      await this.replica.releaseConnection(connection);
    }
  }

  #markUp(): void {
    this.#state = { status: 'ok', readsFrom: 'replica' };
  }

  #markDown(error: unknown): void {
    const code = (error as { code?: unknown } | null)?.code;
    this.#state = {
      status: 'down',
      readsFrom: 'primary',
      detail: `the replica could not be reached${typeof code === 'string' ? ` (${code})` : ''}; reads are served by the primary`,
    };
    this.#scheduleProbe();
  }

  #scheduleProbe(): void {
    if (this.#probeTimer || this.#destroyed) return;
    this.#probeTimer = setTimeout(() => {
      this.#probeTimer = null;
      void this.probe();
    }, PROBE_INTERVAL_MS);
    this.#probeTimer.unref();
  }
}

function routing(connection: DatabaseConnection): RoutingConnection {
  if (connection instanceof RoutingConnection) return connection;
  throw new Error('A connection that the read-routing driver did not make was handed back to it');
}

function probeQuery(): CompiledQuery {
  return { sql: 'select pg_is_in_recovery() as standby', parameters: [], query: { kind: 'RawNode' } } as unknown as CompiledQuery;
}

/**
 * One unit of work's connection. It holds a primary connection only once something needs the primary (a write, a
 * transaction, or any statement without a replica preference), and keeps it for the rest of the unit, so session
 * state (temporary tables, advisory locks) stays on one server.
 */
class RoutingConnection implements DatabaseConnection {
  #primary: DatabaseConnection | null = null;
  #pending: Promise<DatabaseConnection> | null = null;

  constructor(private readonly driver: ReadRoutingDriver) {}

  primaryConnection(): Promise<DatabaseConnection> {
    if (this.#primary) return Promise.resolve(this.#primary);
    this.#pending ??= this.driver.acquirePrimary().then((connection) => (this.#primary = connection));
    return this.#pending;
  }

  release(): DatabaseConnection | null {
    const held = this.#primary;
    this.#primary = null;
    this.#pending = null;
    return held;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const onPrimary = async () => {
      const result = await (await this.primaryConnection()).executeQuery<R>(query);
      const wanted = currentReadPreference();
      if (wanted && !isReadStatement(query)) wanted.wrote = true;
      return result;
    };
    if (this.#primary === null && this.driver.wantsReplica(query)) return this.driver.readOnReplica(query, onPrimary);
    return onPrimary();
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    // Streams (large exports) are rare; they read from the primary, which always has the latest rows.
    yield* (await this.primaryConnection()).streamQuery<R>(query, chunkSize);
  }
}
