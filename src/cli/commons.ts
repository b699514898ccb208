import { parseArgs } from 'node:util';
import type * as AppModule from '../app/app.js';
import { type DatabaseStart, startDatabase } from '../app/database-start.js';
import type * as RuntimeModule from '../app/runtime.js';
import type { OpenPlatformOptions, Platform } from '../app/runtime.js';
import { type Config, ConfigError, loadConfig } from '../platform/config.js';
import { DataDirectoryBusyError, describeLockHolder } from '../platform/database/data-directory-lock.js';
import type { Logger } from '../platform/logging.js';
import type * as ModuleCommands from './module-commands.js';

/** The modules' commands, loaded by `main` for every command but `serve`. */
let commands: typeof ModuleCommands;

const USAGE = `Usage: commons <command>

Commands:
  serve      Migrate, seed on first run, and serve the web application (PORT, default 3000)
  migrate    Bring the database up to the newest schema
  seed       Load the council register and demo content (safe to run again)
             --reference-only   load only reference data, no demo content
  import spend   Import spending-over-£500 files (commons import spend --help)
  import ocds    Import OCDS contract files (commons import ocds --help)
  import publiccode   Import publiccode.yml files into the catalogue (commons import publiccode --help)
  withdraw spend      Withdraw an imported spend file (commons withdraw spend --help)
  replace spend       Replace an imported spend file with a corrected version
  remind challenges   Ask owners to confirm or close challenges not updated for six months
  remind actions      Email owners of overdue actions from standards assessments
  admin grant EMAIL   Make a platform admin (the way back in when none is left)
  remind adoptions    Ask contacts to re-confirm component adoptions before they go stale (run daily)
  remind agreements   Email contacts of data-sharing agreements due for review (run daily)
  validate   Check CSV files against a data standard or Table Schema (commons validate --help)
  revalidate Re-check the published files registered for scheduled validation (run daily)
  remind mentoring    Send mentoring pairings their one-month and three-month check-ins (run daily)
  knowledge reindex|digest|deliver-webhooks   Search index, follow digests and webhooks (commons knowledge --help)
  progress snapshot   Snapshot the 2030 targets for the last ended quarter (run daily; commons progress --help)

Configuration comes from environment variables; see README.md.`;

/** The `commons` command line. Returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  // Everything the platform writes (database files, uploads, the lock and secret) is readable by its owner only.
  process.umask(0o077);
  const [command, ...rest] = argv;
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }

  try {
    // `serve` starts PostgreSQL's thread before anything else is loaded: the two then share the start-up time.
    const started = command === 'serve' ? startDatabase(config, { command: 'serve', databaseInWorker: true }) : null;
    const { createLogger } = await import('../platform/logging.js');
    const logger = createLogger(config.logLevel);
    if (started) return await serve(config, logger, started);
    commands = await import('./module-commands.js');
    return await runCommand(config, logger, command, rest);
  } catch (error) {
    if (error instanceof DataDirectoryBusyError) {
      process.stderr.write(`${error.message}\n`);
      return 3;
    }
    throw error;
  }
}

/**
 * The platform for one command. The runtime, and with it every module, is loaded here rather than with this file, so
 * that `serve` can start the database before loading them.
 */
async function openPlatform(config: Config, logger: Logger, options: OpenPlatformOptions): Promise<Platform> {
  const runtime = await import('../app/runtime.js');
  return runtime.openPlatform(config, logger, options);
}

type Services = Platform['services'];

/** Opens the platform for one command, runs it, and closes the platform whatever happens. */
async function withPlatform<T>(config: Config, logger: Logger, command: string, work: (services: Services) => Promise<T>): Promise<T> {
  const platform = await openPlatform(config, logger, { command });
  try {
    return await work(platform.services);
  } finally {
    await platform.close();
  }
}

/** Writes a command's usage, and returns 0 where it was asked for (`--help`), 2 where the command was not understood. */
function usage(text: string, asked: boolean): number {
  process.stdout.write(`${text}\n`);
  return asked ? 0 : 2;
}

/** Runs one command of the command line. */
async function runCommand(config: Config, logger: Logger, command: string | undefined, rest: string[]): Promise<number> {
  switch (command) {
    case 'migrate':
      await withPlatform(config, logger, 'migrate', () => Promise.resolve());
      process.stdout.write('Database is up to date.\n');
      return 0;
    case 'seed': {
      const { values } = parseArgs({ args: [...rest], options: { 'reference-only': { type: 'boolean', default: false } } });
      await withPlatform(config, logger, 'seed', async (services) => {
        await commands.seedReferenceData(services, logger);
        if (!values['reference-only']) await commands.seedDemoContent(services, logger);
      });
      process.stdout.write('Seeded.\n');
      return 0;
    }
    case 'validate':
      return runValidate(config, logger, rest);
    case 'revalidate':
      return withPlatform(config, logger, 'revalidate', (services) =>
        commands.runRevalidateCommand(rest, {
          recheck: () => services.validationService.recheckWatchedFiles(),
          stdout: process.stdout,
          stderr: process.stderr,
        }),
      );
    case 'remind':
      return runRemind(config, logger, rest);
    case 'import':
      return runImport(config, logger, rest);
    case 'admin':
      if (rest.includes('--help') || rest.length === 0) return commands.runAdminCommand(rest, adminIo(null));
      return withPlatform(config, logger, 'admin', (services) => commands.runAdminCommand(rest, adminIo(services.identityService)));
    case 'withdraw':
    case 'replace':
      if (rest[0] !== 'spend' || rest.includes('--help')) return usage(commands.WITHDRAW_SPEND_USAGE, rest[0] === 'spend');
      return withPlatform(config, logger, `${command} spend`, (services) =>
        commands.runWithdrawSpendCommand(command, rest.slice(1), {
          spendWithdrawalsService: services.spendWithdrawalsService,
          stdout: process.stdout,
          stderr: process.stderr,
        }),
      );
    case 'knowledge':
      if (rest.length === 0 || rest.includes('--help')) return usage(commands.KNOWLEDGE_USAGE, rest.length > 0);
      return withPlatform(config, logger, `knowledge ${rest[0] ?? ''}`, (services) =>
        commands.runKnowledgeCommand(rest, { ...services, stdout: process.stdout }),
      );
    case 'progress':
      if (rest.length === 0 || rest.includes('--help')) return usage(commands.PROGRESS_USAGE, rest.length > 0);
      return withPlatform(config, logger, `progress ${rest[0] ?? ''}`, (services) =>
        commands.runProgressCommand(rest, { ...services, write: (line) => process.stdout.write(`${line}\n`) }),
      );
    case undefined:
    case 'help':
    case '--help':
      return usage(USAGE, command !== undefined);
    default:
      process.stderr.write(`Unknown command: ${command}\n\n${USAGE}\n`);
      return 2;
  }
}

/** `commons remind agreements|adoptions|actions|mentoring|challenges`. */
async function runRemind(config: Config, logger: Logger, rest: string[]): Promise<number> {
  const stdout = process.stdout;
  switch (rest[0]) {
    case 'agreements':
      if (rest.includes('--help')) return usage(commands.REMIND_AGREEMENTS_USAGE, true);
      return withPlatform(config, logger, 'remind agreements', (services) =>
        commands.runRemindAgreementsCommand(rest.slice(1), {
          sendReviewReminders: () => services.agreementsService.sendReviewReminders(),
          stdout,
        }),
      );
    case 'adoptions':
      return runCatalogueCommand(config, logger, 'remind adoptions', rest.slice(1));
    case 'actions':
      return withPlatform(config, logger, 'remind actions', (services) =>
        commands.runRemindActionsCommand(rest.slice(1), { standardsService: services.standardsService, stdout }),
      );
    case 'mentoring':
      return withPlatform(config, logger, 'remind mentoring', (services) =>
        commands.runRemindMentoringCommand(rest.slice(1), { mentoringService: services.mentoringService, stdout }),
      );
  }
  if (rest[0] !== 'challenges' || rest.includes('--help')) return usage(commands.REMIND_CHALLENGES_USAGE, rest[0] === 'challenges');
  return withPlatform(config, logger, 'remind challenges', (services) =>
    commands.runRemindChallengesCommand(rest.slice(1), { challengesService: services.challengesService, stdout }),
  );
}

/** `commons import ocds|publiccode|spend`. */
async function runImport(config: Config, logger: Logger, rest: string[]): Promise<number> {
  if (rest[0] === 'ocds') return runImportOcds(config, logger, rest.slice(1));
  if (rest[0] === 'publiccode') return runCatalogueCommand(config, logger, 'import publiccode', rest.slice(1));
  if (rest[0] !== 'spend' || rest.includes('--help')) return usage(commands.IMPORT_SPEND_USAGE, rest[0] === 'spend');
  return withPlatform(config, logger, 'import spend', (services) =>
    commands.runImportSpendCommand(rest.slice(1), {
      spendService: services.spendService,
      stdout: process.stdout,
      stderr: process.stderr,
    }),
  );
}

/** The web application over a platform (whose database may still be starting: building the routes reads nothing). */
async function buildWebApp(appModule: Promise<typeof AppModule>, config: Config, logger: Logger, platform: Platform) {
  const [{ buildApp }, { pingDatabase }] = await Promise.all([appModule, import('../app/runtime.js')]);
  return buildApp({
    config,
    logger,
    services: platform.services,
    engine: platform.database.engine,
    checkDatabase: () => pingDatabase(platform),
    secret: platform.secret,
    database: platform.database.db,
    replica: platform.database.replica,
    backgroundStartDelayMs: BACKGROUND_START_DELAY_MS,
  });
}

/** The spend import runner and the search refresh wait this long after start-up, so the first pages come first. */
const BACKGROUND_START_DELAY_MS = 5_000;

/** The runtime for `serve`; when it cannot be loaded, the database thread started for it is closed and the lock freed. */
async function loadRuntime(started: DatabaseStart): Promise<typeof RuntimeModule> {
  try {
    return await import('../app/runtime.js');
  } catch (error) {
    try {
      await started.thread?.close();
    } finally {
      started.releaseLock();
    }
    throw error;
  }
}

/** Serves the web application. PostgreSQL's thread is already starting (`started`), and is closed here on failure. */
async function serve(config: Config, logger: Logger, started: DatabaseStart): Promise<number> {
  // This thread loads the web application's modules and builds its routes meanwhile: each takes most of a second.
  const appModule = import('../app/app.js');
  appModule.catch(() => undefined);
  const runtime = await loadRuntime(started);
  const { platform, ready } = await runtime.startPlatform(config, logger, { command: 'serve', databaseInWorker: true, started });
  let app: Awaited<ReturnType<typeof buildWebApp>> | null = null;
  try {
    app = await buildWebApp(appModule, config, logger, platform);
    await ready;
    await runtime.seedIfEmpty(platform, config, logger);
  } catch (error) {
    await app?.close();
    await platform.close();
    throw error;
  }
  const server = app;
  const address = await server.listen({ port: config.port, host: config.host });
  if (config.database.engine === 'pglite') describeLockHolder(config.dataDirectory, address);
  logger.info({ address, database: platform.database.engine }, 'Local Digital Commons is ready');

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping: finishing requests in flight, then closing the database');
      // Close the server first so no request writes after the database is gone.
      void server
        .close()
        .then(() => platform.close())
        .then(() => resolve(0))
        .catch((error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          resolve(1);
        });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

/** The admin command's streams, with the identity service once the platform is open. */
function adminIo(identityService: Parameters<typeof commands.runAdminCommand>[1]['identityService'] | null) {
  const refuse = () => Promise.reject(new Error('The database is not open'));
  return { identityService: identityService ?? { grantPlatformAdmin: refuse }, stdout: process.stdout, stderr: process.stderr };
}

/** `commons validate`: opens the database only when --schema names a standard of the register. */
async function runValidate(config: Config, logger: Logger, args: readonly string[]): Promise<number> {
  const output = { stdout: process.stdout, stderr: process.stderr };
  if (commands.schemaArgumentIsFile(commands.schemaArgument(args))) return commands.runValidateCommand(args, output);
  const platform = await openPlatform(config, logger, { command: 'validate' });
  try {
    return await commands.runValidateCommand(args, {
      ...output,
      findStandardSchema: (slug) => platform.services.dataStandardsService.findStandardDescriptor(slug),
    });
  } finally {
    await platform.close();
  }
}

/** `commons import ocds FILE...`: the contract register's import, with the platform opened only when there is work. */
async function runImportOcds(config: Config, logger: Logger, args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.length === 0) {
    process.stdout.write(`${commands.IMPORT_OCDS_USAGE}\n`);
    return args.length === 0 ? 2 : 0;
  }
  const platform = await openPlatform(config, logger, { command: 'import ocds' });
  try {
    return await commands.runImportOcdsCommand(args, {
      contractsService: platform.services.contractsService,
      stdout: process.stdout,
      stderr: process.stderr,
    });
  } finally {
    await platform.close();
  }
}

/** `commons import publiccode` and `commons remind adoptions`: the catalogue's commands. */
async function runCatalogueCommand(
  config: Config,
  logger: Logger,
  command: 'import publiccode' | 'remind adoptions',
  args: readonly string[],
): Promise<number> {
  const usage = command === 'import publiccode' ? commands.IMPORT_PUBLICCODE_USAGE : commands.REMIND_ADOPTIONS_USAGE;
  if (args.includes('--help') || (command === 'import publiccode' && args.length === 0)) {
    process.stdout.write(`${usage}\n`);
    return args.length === 0 ? 2 : 0;
  }
  const platform = await openPlatform(config, logger, { command });
  try {
    const { catalogueService } = platform.services;
    return command === 'import publiccode'
      ? await commands.runImportPubliccodeCommand(args, { catalogueService, stdout: process.stdout, stderr: process.stderr })
      : await commands.runRemindAdoptionsCommand({ catalogueService, stdout: process.stdout });
  } finally {
    await platform.close();
  }
}
