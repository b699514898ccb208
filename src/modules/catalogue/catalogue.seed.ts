import type { CatalogueService } from './catalogue.service.js';
import { isoDate } from '../../platform/clock.js';
import { NotFoundError } from '../../platform/errors.js';
import type { CatalogueCore, CatalogueDependencies } from './catalogue.core.js';
import { addMonths } from './catalogue.records.js';
import type { AdoptionInput, ComponentInput } from './catalogue.types.js';
import { validateAdoptionInput } from './catalogue.validation.js';

/** Blank form values, so each demo component names only what it has. */
const blank: ComponentInput = {
  name: '',
  kind: 'software',
  summary: '',
  description: '',
  problem: '',
  serviceAreas: [],
  licence: '',
  codeRepositoryUrl: '',
  documentationUrl: '',
  developmentStatus: 'stable',
  hostingOptions: [],
  costModel: '',
  supportedStandards: [],
  relatedSlugs: [],
  maintainingOrganisations: [],
  funding: '',
  releaseDate: '',
  softwareVersion: '',
  dpiaUrl: '',
  accessibilityStatementUrl: '',
  specificationUrl: '',
};

/**
 * Components that English councils really share, described in our own words from public facts. Licences are given
 * only where we are sure of them; the others say "not recorded" until the maintainers' publiccode.yml is imported.
 */
const DEMO_COMPONENTS: ComponentInput[] = [
  {
    ...blank,
    name: 'LocalGov Drupal',
    summary: 'A website platform for councils, built on Drupal and shared by the councils that use it.',
    description: [
      'LocalGov Drupal is a Drupal distribution made for council websites. Councils that run it share the features they build,',
      'such as service pages, directories, guides, news, events and alerts, so each new feature is paid for once.',
      '',
      'It started with money from the Local Digital Fund and is now looked after by the councils that use it, working with',
      'several suppliers who host and support it.',
    ].join('\n'),
    problem: 'Every council pays to build and run much the same website, and each redesign starts again from nothing.',
    serviceAreas: ['websites', 'customer-services'],
    licence: 'GPL-2.0-or-later',
    codeRepositoryUrl: 'https://github.com/localgovdrupal/localgov',
    documentationUrl: 'https://docs.localgovdrupal.org/',
    hostingOptions: ['self-hosted', 'saas'],
    costModel: 'free-with-paid-support',
    supportedStandards: ['GOV.UK Design System', 'WCAG 2.2 AA'],
    relatedSlugs: ['gov-uk-notify'],
    maintainingOrganisations: ['LocalGov Drupal Publishers Co-operative', 'Brighton and Hove City Council', 'Croydon Council'],
    funding: 'Started with the Local Digital Fund; now sustained by member councils.',
  },
  {
    ...blank,
    name: 'GOV.UK Notify',
    summary: 'A government service that sends emails, text messages and letters for public bodies.',
    description: [
      'GOV.UK Notify lets a council send emails, text messages and letters from its own services or by uploading a list,',
      'without buying a messaging product. It is run by the Government Digital Service.',
      '',
      '- emails are free',
      '- each organisation gets a yearly allowance of free text messages, then pays per message',
      '- letters are charged per letter, including postage',
    ].join('\n'),
    problem: 'Councils buy and integrate separate messaging products to tell residents about their applications and payments.',
    serviceAreas: ['customer-services', 'revenues-and-benefits'],
    licence: 'MIT',
    codeRepositoryUrl: 'https://github.com/alphagov/notifications-api',
    documentationUrl: 'https://docs.notifications.service.gov.uk/',
    hostingOptions: ['saas'],
    costModel: 'pay-per-use',
    maintainingOrganisations: ['Government Digital Service'],
    funding: 'Funded centrally by government through the Government Digital Service.',
  },
  {
    ...blank,
    name: 'GOV.UK Pay',
    summary: 'A government payments platform that lets councils take card and wallet payments online.',
    description: [
      'GOV.UK Pay gives a council a ready-made, accessible payment journey for its online services, with refunds and',
      'reports, without building its own connection to a payment provider. It is run by the Government Digital Service.',
      '',
      'Councils pay the transaction fees of the payment service provider; the platform itself has no charge.',
    ].join('\n'),
    problem: 'Each council integrates and maintains its own payment pages for dozens of services.',
    serviceAreas: ['customer-services', 'revenues-and-benefits', 'parking'],
    licence: 'MIT',
    codeRepositoryUrl: 'https://github.com/alphagov/pay-connector',
    documentationUrl: 'https://docs.payments.service.gov.uk/',
    hostingOptions: ['saas'],
    costModel: 'pay-per-use',
    relatedSlugs: ['gov-uk-notify'],
    maintainingOrganisations: ['Government Digital Service'],
    funding: 'Funded centrally by government through the Government Digital Service.',
  },
  {
    ...blank,
    name: 'Open Referral UK',
    kind: 'data-standard',
    summary: 'A data standard for describing local services: who runs them, what they offer, where and when.',
    description: [
      'Open Referral UK is the UK profile of the international Open Referral standard for directories of services.',
      'When councils, health bodies and charities publish their service directories in the same shape, one service',
      'finder can read them all, and a resident sees the same information wherever they look.',
    ].join('\n'),
    problem: 'Service directories are kept again and again by different bodies, in different shapes, and soon go out of date.',
    serviceAreas: ['adult-social-care', 'children-and-families', 'public-health'],
    licence: 'CC-BY-SA-4.0',
    documentationUrl: 'https://openreferraluk.org/',
    hostingOptions: [],
    costModel: 'free',
    supportedStandards: ['Frictionless Table Schema'],
    maintainingOrganisations: ['Open Referral UK'],
    developmentStatus: 'stable',
  },
  {
    ...blank,
    name: 'BOPS',
    summary: 'A back-office planning system that planning officers use to assess and decide planning applications.',
    description: [
      'BOPS (Back-office Planning System) is open-source software for council planning teams. It receives applications',
      'as structured data, helps officers check, consult on and assess them, and publishes the decision.',
      '',
      'It is part of Open Digital Planning, a programme in which councils and the Ministry of Housing, Communities and',
      'Local Government build planning software together.',
    ].join('\n'),
    problem: 'Planning officers re-key applications that arrive as documents, in ageing back-office systems that are hard to leave.',
    serviceAreas: ['planning-and-building-control'],
    codeRepositoryUrl: 'https://github.com/unboxed/bops',
    developmentStatus: 'beta',
    hostingOptions: ['saas'],
    costModel: 'subscription',
    relatedSlugs: ['planx'],
    maintainingOrganisations: ['Open Digital Planning', 'Unboxed'],
    funding: 'Funded by the Ministry of Housing, Communities and Local Government and the councils in Open Digital Planning.',
  },
  {
    ...blank,
    name: 'PlanX',
    summary: 'A tool for building digital planning services that guide applicants and send councils complete, valid data.',
    description: [
      'PlanX lets a planning team design online services, such as "find out if you need planning permission" and full',
      'applications, without writing code. Applicants answer questions about their site and project, and the council',
      'receives an application that is valid first time.',
      '',
      'It is developed by Open Systems Lab as part of Open Digital Planning.',
    ].join('\n'),
    problem: 'Many planning applications arrive invalid or incomplete, and residents cannot tell whether they need permission.',
    serviceAreas: ['planning-and-building-control'],
    codeRepositoryUrl: 'https://github.com/theopensystemslab/planx-new',
    developmentStatus: 'beta',
    hostingOptions: ['saas'],
    costModel: 'subscription',
    relatedSlugs: ['bops'],
    maintainingOrganisations: ['Open Digital Planning', 'Open Systems Lab'],
    funding: 'Funded by the Ministry of Housing, Communities and Local Government and the councils in Open Digital Planning.',
  },
];

const demoEvidence = (note: string): Pick<AdoptionInput, 'evidenceKind' | 'evidence'> => ({
  evidenceKind: 'note',
  evidence: `Demo declaration for trying the platform, not a statement by the council. ${note}`,
});

/** Demo declarations by the demo councils (Oxford, Devon, Leeds, Trafford) and two others. */
const DEMO_ADOPTIONS: { organisation: string; component: string; input: AdoptionInput; monthsAgo?: number }[] = [
  {
    organisation: 'E07000178',
    component: 'gov-uk-notify',
    input: {
      status: 'using',
      since: '2021-04-01',
      ...demoEvidence('Sends housing and waste reminders.'),
      contactName: 'Priya Shah',
      contactEmail: 'priya.shah@oxford.gov.uk',
      contactAgrees: true,
    },
  },
  {
    organisation: 'E07000178',
    component: 'planx',
    input: {
      status: 'piloting',
      since: '2025-09-01',
      ...demoEvidence('Householder applications.'),
      contactName: 'Priya Shah',
      contactEmail: 'priya.shah@oxford.gov.uk',
      contactAgrees: true,
    },
  },
  {
    organisation: 'E10000008',
    component: 'gov-uk-pay',
    input: {
      status: 'using',
      since: '2020-10-01',
      ...demoEvidence('Library fines and school meals.'),
      contactName: 'Sam Taylor',
      contactEmail: 'sam.taylor@devon.gov.uk',
      contactAgrees: true,
    },
  },
  {
    organisation: 'E10000008',
    component: 'open-referral-uk',
    input: {
      status: 'exploring',
      since: '2026-01-15',
      ...demoEvidence('Family services directory.'),
      contactName: 'Sam Taylor',
      contactEmail: 'sam.taylor@devon.gov.uk',
      contactAgrees: false,
    },
  },
  {
    organisation: 'E08000035',
    component: 'gov-uk-notify',
    input: {
      status: 'using',
      since: '2019-06-01',
      ...demoEvidence('Council tax and benefits letters.'),
      contactName: 'Jo Evans',
      contactEmail: 'jo.evans@leeds.gov.uk',
      contactAgrees: true,
    },
  },
  {
    organisation: 'E08000035',
    component: 'localgov-drupal',
    // Never re-confirmed: shown as unconfirmed, not counted, and its contact is reminded.
    input: {
      status: 'using',
      since: '2022-03-01',
      ...demoEvidence('Main council website.'),
      contactName: 'Jo Evans',
      contactEmail: 'jo.evans@leeds.gov.uk',
      contactAgrees: true,
    },
    monthsAgo: 14,
  },
  {
    organisation: 'E08000009',
    component: 'localgov-drupal',
    input: {
      status: 'using',
      since: '2023-02-01',
      ...demoEvidence('Main council website.'),
      contactName: 'Chris O’Neill',
      contactEmail: 'chris.oneill@trafford.gov.uk',
      contactAgrees: true,
    },
  },
  {
    organisation: 'E06000043',
    component: 'localgov-drupal',
    input: {
      status: 'using',
      since: '2021-01-01',
      ...demoEvidence('Main council website.'),
      contactName: 'Web team',
      contactEmail: 'web.team@brighton-hove.example',
      contactAgrees: false,
    },
  },
  {
    organisation: 'E09000008',
    component: 'bops',
    input: {
      status: 'piloting',
      since: '2025-05-01',
      ...demoEvidence('Householder applications.'),
      contactName: 'Planning team',
      contactEmail: 'planning@croydon.example',
      contactAgrees: true,
    },
  },
];

/** Seeds the catalogue's demo components and declarations. Safe to run again: existing ones are left alone. */
export async function seedCatalogueDemo(services: { catalogueService: CatalogueService }): Promise<void> {
  const { catalogueService } = services;
  // Related components are looked up when shown, so the order of creation does not matter.
  for (const input of DEMO_COMPONENTS) await catalogueService.createComponentAsSystem(input, null);
  for (const adoption of DEMO_ADOPTIONS) {
    await catalogueService.declareAdoptionAsSystem(adoption.organisation, adoption.component, adoption.input, adoption.monthsAgo ?? 0);
  }
}

/**
 * Writes only the demo content needs, kept out of the use-case services. createCatalogueService composes them into
 * the catalogue's service, so the demo seed above and tests reach them through the one wiring.
 */
export function createCatalogueDemoWriters(deps: CatalogueDependencies, core: CatalogueCore) {
  const { catalogueRepository, clock } = deps;
  const { requireComponent, writeDeclaration } = core;

  return {
    /** Demo content: records an organisation's declaration as the system, last confirmed some months ago; skipped when one exists. */
    async declareAdoptionAsSystem(organisationCode: string, slug: string, input: AdoptionInput, confirmedMonthsAgo = 0): Promise<boolean> {
      const confirmedAt = addMonths(clock(), -confirmedMonthsAgo);
      const organisation = await catalogueRepository.findOrganisation(organisationCode);
      if (!organisation) throw new NotFoundError(`No organisation has the code ${organisationCode}`);
      const component = await requireComponent(slug);
      if (await catalogueRepository.findAdoption(component.id, organisation.id)) return false;
      await writeDeclaration(null, organisation, component, validateAdoptionInput(input, isoDate(clock())), confirmedAt);
      return true;
    },
  };
}
