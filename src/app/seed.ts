import type { Logger } from '../platform/logging.js';
import { councilRegisterFile } from './paths.js';
import type { Services } from './services.js';
import { seedStandardsDemo } from '../modules/standards/index.js';
import { seedChallengesDemo } from '../modules/challenges/index.js';
import { seedSpendDemo } from '../modules/spend/index.js';
import { seedContractsDemo } from '../modules/contracts/index.js';
import { seedCatalogueDemo } from '../modules/catalogue/index.js';
import { seedDataSharingDemo, seedDataSharingReference } from '../modules/data-sharing/index.js';
import { seedWorkforceDemo } from '../modules/workforce/index.js';
import { seedKnowledgeDemo } from '../modules/knowledge/index.js';
import { seedRegionalCentresDemo } from '../modules/progress/index.js';

/** Loads reference data every install needs: the council register. Safe to run again. */
export async function seedReferenceData(services: Services, logger: Logger): Promise<void> {
  const count = await services.organisationsService.loadCouncilRegister(councilRegisterFile);
  logger.info({ organisations: count }, 'council register loaded');
  logger.info({ dataStandards: await seedDataSharingReference(services) }, 'data standards loaded');
}

/** Adds demo content so a new user sees a working platform. Safe to run again. */
export async function seedDemoContent(services: Services, logger: Logger): Promise<void> {
  const organisations = [{ kind: 'institute', name: 'Local Digital Commons Institute (demo)', nation: 'England' }] as const;
  for (const organisation of organisations) await services.organisationsService.addOrganisation(organisation);
  await services.organisationsService.addOrganisation({
    kind: 'supplier',
    name: 'Open Digital Co-operative (demo supplier)',
    nation: 'England',
  });
  logger.info(await seedRegionalCentresDemo(services), 'demo regional centres loaded, councils assigned by region');
  await seedDemoPeople(services);
  await seedChallengesDemo(services);
  await seedStandardsDemo(services);
  logger.info(await seedSpendDemo(services), 'demo spend loaded');
  logger.info(await seedContractsDemo(services), 'demo contracts loaded');
  await seedCatalogueDemo(services);
  await seedDataSharingDemo(services);
  logger.info(await seedWorkforceDemo(services), 'synthetic workforce returns, opportunities and a mentoring round loaded');
  logger.info({ caseStudies: await seedKnowledgeDemo(services) }, 'demo case studies loaded and search index built');
  logger.info('demo content loaded');
}

/** Demo councils with verified email domains, and one demo person in each role, so sign-in can be tried at once. */
export const DEMO_PEOPLE = [
  { email: 'priya.shah@oxford.gov.uk', name: 'Priya Shah', organisation: 'E07000178', role: 'organisation-admin' },
  { email: 'alex.morgan@oxford.gov.uk', name: 'Alex Morgan', organisation: 'E07000178', role: 'member' },
  { email: 'sam.taylor@devon.gov.uk', name: 'Sam Taylor', organisation: 'E10000008', role: 'organisation-admin' },
  { email: 'jo.evans@leeds.gov.uk', name: 'Jo Evans', organisation: 'E08000035', role: 'organisation-admin' },
  { email: 'chris.oneill@trafford.gov.uk', name: 'Chris O’Neill', organisation: 'E08000009', role: 'member' },
  { email: 'assessor@institute.example', name: 'Morgan Lee', organisation: 'local-digital-commons-institute-demo', role: 'assessor' },
  { email: 'admin@institute.example', name: 'Robin Patel', organisation: 'local-digital-commons-institute-demo', role: 'platform-admin' },
  { email: 'sales@opendigital.example', name: 'Casey Brown', organisation: 'open-digital-co-operative-demo-supplier', role: 'supplier' },
] as const;

const DEMO_DOMAINS = [
  { organisation: 'E07000178', domain: 'oxford.gov.uk' },
  { organisation: 'E10000008', domain: 'devon.gov.uk' },
  { organisation: 'E08000035', domain: 'leeds.gov.uk' },
  { organisation: 'E08000009', domain: 'trafford.gov.uk' },
  { organisation: 'local-digital-commons-institute-demo', domain: 'institute.example' },
  { organisation: 'open-digital-co-operative-demo-supplier', domain: 'opendigital.example' },
] as const;

async function seedDemoPeople(services: Services): Promise<void> {
  for (const { organisation, domain } of DEMO_DOMAINS) {
    const { id } = await services.organisationsService.getOrganisation(organisation);
    await services.identityService.ensureEmailDomain(id, domain);
  }
  for (const person of DEMO_PEOPLE) {
    const { id } = await services.organisationsService.getOrganisation(person.organisation);
    await services.identityService.createUser(null, { email: person.email, name: person.name, organisationId: id, role: person.role });
  }
}
