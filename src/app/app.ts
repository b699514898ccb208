import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../platform/config.js';
import type { DatabaseEngine } from '../platform/database/database.js';
import type { ReplicaRouter } from '../platform/database/read-routing.js';
import { PRIMARY_PIN_COOKIE, registerReadRouting } from '../platform/http/read-routing.js';
import { createServer } from '../platform/http/server.js';
import type { Logger } from '../platform/logging.js';
import { createViewEnvironment } from '../platform/views/views.js';
import { registerBackgroundWork } from './background.js';
import { registerOrganisationRoutes } from '../modules/organisations/index.js';
import { registerIdentityResolution, registerIdentityRoutes, SESSION_COOKIE } from '../modules/identity/index.js';
import type { MailTables } from '../platform/mail.js';
import type { Kysely } from 'kysely';
import { type Database, moduleDatabase } from './database-schema.js';
import { registerSpendRoutes } from '../modules/spend/index.js';
import { registerSpendAnalysisRoutes } from '../modules/spend-intelligence/index.js';
import { registerContractsRoutes } from '../modules/contracts/index.js';
import { registerStandardsRoutes } from '../modules/standards/index.js';
import { registerChallengeRoutes } from '../modules/challenges/index.js';
import { registerCatalogueRoutes } from '../modules/catalogue/index.js';
import { registerDataSharingRoutes } from '../modules/data-sharing/index.js';
import { registerWorkforceRoutes } from '../modules/workforce/index.js';
import { registerKnowledgeRoutes } from '../modules/knowledge/index.js';
import { registerProgressRoutes } from '../modules/progress/index.js';
import { MODULES } from './modules.js';
import { modulesFolder, projectRoot } from './paths.js';
import { registerSiteRoutes } from './site.routes.js';
import { createOrganisationHub } from './organisation-hub.js';
import type { Services } from './services.js';

export const SERVICE_NAME = 'Local Digital Commons';

/** The project's version, shown in the API document and used to version static asset URLs. */
export const VERSION = (JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;

export interface AppDependencies {
  config: Config;
  logger: Logger;
  services: Services;
  engine: DatabaseEngine;
  /** Answers true while the database can be reached; used by the health check. */
  checkDatabase: () => Promise<boolean>;
  /** Signs form tokens; see runtime.ts for where it comes from. */
  secret: string;
  database: Kysely<Database>;
  /** The read replica's router when DATABASE_REPLICA_URL is set (anonymous reads go there; /healthz reports it). */
  replica?: ReplicaRouter | null;
  /**
   * How long after start-up the background work (spend import runner, search refresh) waits, so the first requests
   * are answered first; 0 (the default, for tests) starts it as the app becomes ready.
   */
  backgroundStartDelayMs?: number;
}

/** Builds the whole web application: the platform's server with every module's routes. */
export async function buildApp(dependencies: AppDependencies): Promise<FastifyInstance> {
  const { config, logger, services } = dependencies;
  const app = await createServer({
    logger,
    views: createViewEnvironment({ moduleFolders: [modulesFolder], watch: false }),
    production: config.environment === 'production',
    serviceName: SERVICE_NAME,
    navigation: MODULES.filter((module) => module.inNavigation && module.available).map((module) => ({
      href: module.href,
      text: module.title,
    })),
    version: VERSION,
    responseCache: {
      ttlMs: 10_000,
      maxEntries: 1_000,
      // Someone who just changed something (the replica's pin cookie) must see it, never a copy cached before.
      isPersonal: (request) =>
        request.headers.authorization !== undefined ||
        (request.headers.cookie ?? '').includes(`${SESSION_COOKIE}=`) ||
        (request.headers.cookie ?? '').includes(`${PRIMARY_PIN_COOKIE}=`),
    },
    secret: dependencies.secret,
    sessionCookie: SESSION_COOKIE,
    trustProxy: config.trustProxy,
  });

  // Before anything reads the database: anonymous GETs may read from the replica, everything else from the primary.
  if (dependencies.replica) {
    registerReadRouting(app, {
      secureCookies: config.environment === 'production',
      identified: (request) => request.headers.authorization !== undefined || (request.headers.cookie ?? '').includes(`${SESSION_COOKIE}=`),
    });
  }
  // First, so every route knows who is asking.
  registerIdentityResolution(app, services);

  registerSiteRoutes(app, dependencies);
  registerOrganisationRoutes(app, { ...services, organisationHub: createOrganisationHub(services) });
  registerIdentityRoutes(app, {
    ...services,
    outbox:
      config.environment === 'production' || config.mail.transport === 'smtp' ? null : moduleDatabase<MailTables>(dependencies.database),
    secureCookies: config.environment === 'production',
  });
  const background = registerBackgroundWork(app, services, {
    logger,
    refreshSearch: config.environment !== 'test',
    startDelayMs: dependencies.backgroundStartDelayMs ?? 0,
  });
  registerSpendRoutes(app, { ...services, runner: background.spendImportRunner });
  registerSpendAnalysisRoutes(app, services);
  registerContractsRoutes(app, services);
  const listLinkedCaseStudies = (kind: 'component' | 'challenge' | 'standard', reference: string) =>
    services.caseStudiesService.listCaseStudiesLinkedTo(kind, reference);
  registerStandardsRoutes(app, { ...services, listLinkedCaseStudies });
  registerChallengeRoutes(app, { ...services, publicBaseUrl: config.publicBaseUrl, listLinkedCaseStudies });
  registerCatalogueRoutes(app, { ...services, listLinkedCaseStudies });
  registerKnowledgeRoutes(app, {
    ...services,
    publicBaseUrl: config.publicBaseUrl,
    backgroundWork: config.environment !== 'test',
    logError: (error) => logger.error({ err: error }, 'knowledge background work failed'),
  });
  registerDataSharingRoutes(app, services);
  registerWorkforceRoutes(app, { ...services, publicBaseUrl: config.publicBaseUrl });
  registerProgressRoutes(app, services);

  await app.ready();
  return app;
}
