import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock.js';
import { createOrganisationsRepository, createOrganisationsService } from '../modules/organisations/index.js';
import { createSpendImportsService, createSpendRepository, createSpendService } from '../modules/spend/index.js';
import { createSpendFilesQueries, createSpendFilesService, createSpendWithdrawalsService } from '../modules/spend/index.js';
import { type Database, moduleDatabase } from './database-schema.js';
import type { Config } from '../platform/config.js';
import { createMailer, type MailTables } from '../platform/mail.js';
import {
  createIdentityRepository,
  createIdentityService,
  createIdentityTransaction,
  type IdentitySettings,
  type IdentityTables,
} from '../modules/identity/index.js';
import {
  catalogueThrough,
  createStandardsRepository,
  createStandardsService,
  createStandardsTransaction,
  type StandardsTables,
} from '../modules/standards/index.js';
import {
  componentLookupThrough,
  createChallengesRepository,
  createChallengesService,
  createChallengesTransaction,
} from '../modules/challenges/index.js';
import type { ChallengeTables } from '../modules/challenges/index.js';
import { createSpendAnalysisRepository, createSpendAnalysisService } from '../modules/spend-intelligence/index.js';
import { type ContractTables, createContractsRepository, createContractsService } from '../modules/contracts/index.js';
import type { AuditTables } from '../platform/audit.js';
import { DEFAULT_LIMITS, type Limits } from '../platform/limits.js';
import { createBoundedParser } from '../platform/parsing/bounded-parser.js';
import {
  createMentoringService,
  createOpportunitiesService,
  createReturnsService,
  createTablesService,
  createWorkforceRepository,
  createWorkforceTransaction,
  type WorkforceTables,
} from '../modules/workforce/index.js';
import {
  boundedPubliccodeParse,
  createCatalogueRepository,
  createCatalogueService,
  createCatalogueTransaction,
  type CatalogueTables,
} from '../modules/catalogue/index.js';
import { componentSlug } from '../modules/catalogue/index.js';
import {
  createAgreementsService,
  createDataSharingRepository,
  createDataSharingTransaction,
  createDataStandardsService,
  createExemplarsService,
  createValidationService,
  type DataSharingTables,
  standardComponentsThrough,
} from '../modules/data-sharing/index.js';
import { createKnowledgeServices, type KnowledgeTables, type PostWebhook } from '../modules/knowledge/index.js';
import { SERVICE_AREA_LABELS } from '../modules/challenges/index.js';
import { createProgressRepository, createProgressService, createRegionsService, type ProgressTables } from '../modules/progress/index.js';
import { progressSourcesThrough } from './progress-sources.js';

/** Identity settings for tools and tests that do not read the configuration. */
export const DEFAULT_IDENTITY_SETTINGS: IdentitySettings = {
  publicBaseUrl: 'http://localhost:3000',
  sessionIdleMinutes: 8 * 60,
  sessionAbsoluteHours: 7 * 24,
};

type OrganisationsService = ReturnType<typeof createOrganisationsService>;
type IdentityService = ReturnType<typeof createIdentityService>;
type Mailer = ReturnType<typeof createMailer>;

/** The spend module's repository and services. */
function createSpendServices(
  db: Kysely<Database>,
  organisationsService: OrganisationsService,
  clock: Clock,
  filesDirectory: string | null,
) {
  const spendRepository = createSpendRepository(moduleDatabase(db));
  const spendService = createSpendService({ spendRepository, organisationsService, clock, filesDirectory });
  const spendImportsService = createSpendImportsService({
    spendRepository,
    spendService,
    organisationsService,
    clock,
    importFolder: filesDirectory === null ? null : path.join(filesDirectory, 'spend-inbox'),
  });
  const spendWithdrawalsService = createSpendWithdrawalsService({ spendRepository, spendService, clock });
  const spendFilesService = createSpendFilesService({
    spendFilesQueries: createSpendFilesQueries(moduleDatabase(db)),
    spendService,
    organisationsService,
  });
  return { spendRepository, spendService, spendImportsService, spendWithdrawalsService, spendFilesService };
}

/** What the services of several modules share: the database, the clock, the organisations, mail and people. */
interface Shared {
  db: Kysely<Database>;
  clock: Clock;
  organisationsService: OrganisationsService;
  mailer: Mailer;
  identityService: IdentityService;
  publicBaseUrl: string;
}

/** Standards, challenges and the catalogue, which look components up in one another (through late lookups). */
function createCommunityServices(
  { db, clock, organisationsService, mailer, identityService, publicBaseUrl }: Shared,
  boundedParser: ReturnType<typeof createBoundedParser>,
) {
  const standardsDatabase = moduleDatabase<StandardsTables>(db);
  const standardsService = createStandardsService({
    standardsRepository: createStandardsRepository(standardsDatabase),
    transaction: createStandardsTransaction(standardsDatabase),
    organisationsService,
    mailer,
    clock,
    publicBaseUrl,
    catalogue: catalogueThrough(() => catalogueService),
    listOrganisationAdminEmails: identityService.listOrganisationAdminEmails,
  });
  const challengesDatabase = moduleDatabase<ChallengeTables>(db);
  const challengesService = createChallengesService({
    challengesRepository: createChallengesRepository(challengesDatabase),
    transaction: createChallengesTransaction(challengesDatabase),
    mailer,
    clock,
    settings: { publicBaseUrl },
    findComponent: componentLookupThrough((slug) => catalogueService.getComponent(slug)),
    listOrganisationAdminEmails: identityService.listOrganisationAdminEmails,
  });
  const catalogueDatabase = moduleDatabase<CatalogueTables>(db);
  const catalogueService = createCatalogueService({
    catalogueRepository: createCatalogueRepository(catalogueDatabase),
    transaction: createCatalogueTransaction(catalogueDatabase),
    organisationsService,
    mailer,
    clock,
    publicBaseUrl,
    parsePubliccodeText: boundedPubliccodeParse(boundedParser),
  });
  return { standardsService, challengesService, catalogueService };
}

/** The data-sharing module's services: data standards, validation, agreements and exemplars. */
function createDataSharingServices(
  { db, clock, organisationsService, mailer, identityService, publicBaseUrl }: Shared,
  catalogueService: ReturnType<typeof createCatalogueService>,
) {
  const dataSharingDatabase = moduleDatabase<DataSharingTables>(db);
  const dataSharingRepository = createDataSharingRepository(dataSharingDatabase);
  const dataStandardsService = createDataStandardsService({
    repository: dataSharingRepository,
    organisationsService,
    components: standardComponentsThrough(() => catalogueService, componentSlug),
    clock,
  });
  const validationService = createValidationService({ repository: dataSharingRepository, standards: dataStandardsService, clock });
  const agreementsService = createAgreementsService({
    repository: dataSharingRepository,
    transaction: createDataSharingTransaction(dataSharingDatabase),
    organisationsService,
    mailer,
    clock,
    publicBaseUrl,
    listOrganisationAdminEmails: identityService.listOrganisationAdminEmails,
    standardExists: dataStandardsService.standardExists,
  });
  const exemplarsService = createExemplarsService({ repository: dataSharingRepository, organisationsService, clock });
  return { dataStandardsService, validationService, agreementsService, exemplarsService };
}

/** The workforce module's repository and services. */
function createWorkforceServices({ db, clock, organisationsService, mailer, identityService, publicBaseUrl }: Shared) {
  const workforceDatabase = moduleDatabase<WorkforceTables>(db);
  const workforceRepository = createWorkforceRepository(workforceDatabase);
  const workforceTransaction = createWorkforceTransaction(workforceDatabase);
  const returnsService = createReturnsService({
    workforceRepository,
    transaction: workforceTransaction,
    organisationsService,
    listMembers: async (actor, organisationId) => (await identityService.getMembership(actor, organisationId)).members,
    clock,
  });
  const tablesService = createTablesService({ workforceRepository, transaction: workforceTransaction, organisationsService });
  const opportunitiesService = createOpportunitiesService({ workforceRepository, transaction: workforceTransaction, clock });
  const mentoringService = createMentoringService({ workforceRepository, transaction: workforceTransaction, mailer, clock, publicBaseUrl });
  return { workforceRepository, returnsService, tablesService, opportunitiesService, mentoringService };
}

/** The knowledge module's services, with the lookups they make in other modules. */
function createKnowledge(
  { db, clock, organisationsService, mailer, identityService, publicBaseUrl }: Shared,
  { catalogueService, standardsService, challengesService }: ReturnType<typeof createCommunityServices>,
  webhooks: { postWebhook: PostWebhook | undefined; webhookAllowedNetworks: readonly string[] },
) {
  return createKnowledgeServices({
    db: moduleDatabase<KnowledgeTables>(db),
    clock,
    mailer,
    publicBaseUrl,
    findUserContact: (userId) => identityService.findUserContact(userId),
    listOrganisationAdminEmails: (organisationId) => identityService.listOrganisationAdminEmails(organisationId),
    ...(webhooks.postWebhook ? { postWebhook: webhooks.postWebhook } : {}),
    webhookAllowedNetworks: webhooks.webhookAllowedNetworks,
    lookups: {
      listOrganisationsByIds: (ids) => organisationsService.listOrganisationsByIds(ids),
      findComponent: async (slug) =>
        catalogueService.getComponent(slug).then(
          ({ component }) => component,
          () => null,
        ),
      findStandard: async (slug) => {
        const standard = (await standardsService.listStandards()).find((candidate) => candidate.slug === slug);
        return standard ? { slug: standard.slug, title: standard.title, pointNumbers: standard.points.map((point) => point.number) } : null;
      },
      findChallenge: async (id) =>
        challengesService.getChallenge(id).then(
          ({ id, title, url }) => ({ id, title, url }),
          () => null,
        ),
      serviceAreaLabel: (area) => (SERVICE_AREA_LABELS as Record<string, string>)[area] ?? area,
    },
  });
}

/** The one search: each module contributes its records (a module added later registers its own here). */
function registerSearchSources(
  searchService: ReturnType<typeof createKnowledgeServices>['searchService'],
  services: { organisationsService: OrganisationsService } & ReturnType<typeof createCommunityServices> &
    ReturnType<typeof createDataSharingServices> & {
      spendAnalysisService: ReturnType<typeof createSpendAnalysisService>;
      contractsService: ReturnType<typeof createContractsService>;
    },
): void {
  const { organisationsService, catalogueService, challengesService, standardsService, spendAnalysisService, contractsService } = services;
  const { dataStandardsService, agreementsService } = services;
  searchService.registerSource({
    type: 'organisation',
    label: 'Organisations',
    listSearchDocuments: (since) => organisationsService.listSearchDocuments(since),
  });
  searchService.registerSource({
    type: 'component',
    label: 'Components',
    listSearchDocuments: (since) => catalogueService.listSearchDocuments(since),
  });
  searchService.registerSource({
    type: 'challenge',
    label: 'Challenges',
    listSearchDocuments: (since) => challengesService.listSearchDocuments(since),
  });
  searchService.registerSource({
    type: 'standard',
    label: 'Standards',
    listSearchDocuments: () => standardsService.listSearchDocuments(),
    listsEverything: true,
  });
  searchService.registerSource({
    type: 'supplier',
    label: 'Suppliers',
    listSearchDocuments: (since) => spendAnalysisService.listSearchDocuments(since),
  });
  searchService.registerSource({
    type: 'contract',
    label: 'Contracts',
    listSearchDocuments: (since) => contractsService.listSearchDocuments(since),
  });
  searchService.registerSource({
    type: 'data-standard',
    label: 'Data standards',
    listSearchDocuments: () => dataStandardsService.listSearchDocuments(),
    listsEverything: true,
  });
  searchService.registerSource({
    type: 'agreement',
    label: 'Data-sharing agreements',
    listSearchDocuments: () => agreementsService.listSearchDocuments(),
    listsEverything: true,
  });
}

/** The spend-intelligence service, and the contracts service that matches suppliers through it. */
function createSpendAnalysisAndContracts(db: Kysely<Database>, organisationsService: OrganisationsService, clock: Clock) {
  const spendAnalysisService = createSpendAnalysisService({
    spendAnalysisRepository: createSpendAnalysisRepository(moduleDatabase(db)),
    organisationsService,
    clock,
  });
  const contractsService = createContractsService({
    contractsRepository: createContractsRepository(moduleDatabase<ContractTables & AuditTables>(db)),
    organisationsService,
    matchSuppliers: (suppliers) => spendAnalysisService.matchSuppliers(suppliers),
    clock,
  });
  return { spendAnalysisService, contractsService };
}

/** Progress and regional centres: figures from every module, through their services. */
function createProgress(db: Kysely<Database>, clock: Clock, services: Parameters<typeof progressSourcesThrough>[0]) {
  const progressRepository = createProgressRepository(moduleDatabase<ProgressTables>(db));
  const progressSources = progressSourcesThrough(services);
  const progressService = createProgressService({ repository: progressRepository, sources: progressSources, clock });
  const regionsService = createRegionsService({
    repository: progressRepository,
    sources: progressSources,
    gatherFacts: progressService.gatherFacts,
  });
  return { progressRepository, progressService, regionsService };
}

/** Wires every module's repository and service once, at start-up. */
export function createServices({
  db,
  clock,
  filesDirectory = null,
  identitySettings = DEFAULT_IDENTITY_SETTINGS,
  mail = { transport: 'outbox' },
  limits = DEFAULT_LIMITS,
  postWebhook,
  webhookAllowedNetworks = [],
}: {
  db: Kysely<Database>;
  clock: Clock;
  filesDirectory?: string | null;
  identitySettings?: IdentitySettings;
  mail?: Config['mail'];
  limits?: Limits;
  /** How webhook deliveries are sent (tests may pass their own). */
  postWebhook?: PostWebhook;
  /** Private or local networks (CIDR ranges) webhook deliveries may still reach; none by default. */
  webhookAllowedNetworks?: readonly string[];
}) {
  // Untrusted documents (publiccode.yml, OCDS) are parsed in a worker within this budget.
  const boundedParser = createBoundedParser(limits.parse);
  const organisationsService = createOrganisationsService({
    organisationsRepository: createOrganisationsRepository(moduleDatabase(db)),
    clock,
  });
  const spend = createSpendServices(db, organisationsService, clock, filesDirectory);
  const mailer = createMailer(mail, moduleDatabase<MailTables>(db));
  const identityDatabase = moduleDatabase<IdentityTables>(db);
  const identityService = createIdentityService({
    identityRepository: createIdentityRepository(identityDatabase),
    transaction: createIdentityTransaction(identityDatabase),
    organisationsService,
    mailer,
    clock,
    settings: identitySettings,
  });
  const shared: Shared = { db, clock, organisationsService, mailer, identityService, publicBaseUrl: identitySettings.publicBaseUrl };
  const community = createCommunityServices(shared, boundedParser);
  const { spendAnalysisService, contractsService } = createSpendAnalysisAndContracts(db, organisationsService, clock);
  const dataSharing = createDataSharingServices(shared, community.catalogueService);
  const workforce = createWorkforceServices(shared);
  const knowledge = createKnowledge(shared, community, { postWebhook, webhookAllowedNetworks });
  registerSearchSources(knowledge.searchService, {
    organisationsService,
    ...community,
    ...dataSharing,
    spendAnalysisService,
    contractsService,
  });
  const progress = createProgress(db, clock, {
    organisationsService,
    ...community,
    ...dataSharing,
    ...workforce,
    spendAnalysisService,
    caseStudiesService: knowledge.caseStudiesService,
    contractsService,
  });
  return {
    ...knowledge,
    ...progress,
    organisationsService,
    ...spend,
    identityService,
    mailer,
    ...community,
    spendAnalysisService,
    contractsService,
    limits,
    boundedParser,
    ...dataSharing,
    ...workforce,
    clock,
  };
}

export type Services = ReturnType<typeof createServices>;
