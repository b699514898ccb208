/**
 * Reference content (the data standards, from data/standards/ with SOURCES.md) and demo content drawn from
 * public facts: a multi-agency safeguarding hub, a council–NHS hospital discharge flow, Open Referral UK
 * directories, and the exemplars they make. Safe to run again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../platform/code-locations.js';
import type { OrganisationsService } from '../organisations/index.js';
import type { AgreementInput, AgreementsService } from './agreements.service.js';
import type { DataStandardsService, StandardDefinition } from './data-standards.service.js';
import type { ExemplarsService } from './exemplars.service.js';

/** data/standards/, found from this file whether it runs from src/ or dist/ (three folders below the project root). */
export const STANDARDS_FOLDER = path.join(projectRoot, 'data', 'standards');

const read = (...parts: string[]) => fs.readFileSync(path.join(STANDARDS_FOLDER, ...parts), 'utf8');
const json = (...parts: string[]) => JSON.parse(read(...parts)) as unknown;
const example = (description: string, ...parts: string[]) => ({
  fileName: parts[parts.length - 1] ?? '',
  description,
  content: read(...parts),
});

const TRANSPARENCY_GUIDANCE =
  'Part of the Local Government Transparency Code 2015. Publish the file as CSV with the header exactly as the schema names the columns, in this order, and check it here before publishing.';

/** The standards the register starts with. */
export function referenceStandards(): StandardDefinition[] {
  return [
    {
      slug: 'open-referral-uk',
      name: 'Open Referral UK',
      summary: 'A data standard for describing local services: who runs them, what they offer, where and when.',
      ownerName: 'Open Referral UK',
      status: 'recommended',
      licence: 'CC-BY-SA-4.0',
      guidance:
        'Publish each table of your directory of services as its own CSV file (organizations.csv, services.csv and the others you hold), with the columns the package names. Identifiers are UUIDs; every service names the organisation that runs it.',
      sourceUrl: 'https://openreferraluk.org/',
      version: '3.0.0',
      versionNotes: 'HSDS 3.0 UK profile.',
      descriptor: json('open-referral-uk', 'datapackage.json'),
      examples: [
        example('One example organisation, as the standard publishes it.', 'open-referral-uk', 'organizations.csv'),
        example('One example service run by that organisation.', 'open-referral-uk', 'services.csv'),
      ],
    },
    {
      slug: 'spending-over-500',
      name: 'Spending over £500',
      summary: 'Each payment of £500 or more: date, department, beneficiary, purpose, amount, VAT and category.',
      ownerName: 'Local Digital Commons Institute',
      status: 'required',
      licence: 'MIT',
      guidance:
        'The Local Government Transparency Code 2015 requires councils to publish every item of expenditure over £500 at least quarterly. Redact the names of individuals as “Redacted personal data”. The spend pages of this platform read files in this layout without any column mapping.',
      sourceUrl: 'https://www.gov.uk/government/publications/local-government-transparency-code-2015',
      version: '1.0.0',
      versionNotes: 'First version, from the Code’s list of what to publish.',
      descriptor: json('spend-over-500', 'schema.json'),
      examples: [example('Three payments, including a redacted payee and a credit.', 'spend-over-500', 'example.csv')],
    },
    transparencyStandard(
      'spend-over-25k',
      'Spend over £25,000 (HM Treasury layout)',
      'Payments over £25,000 in the layout central government publishes.',
      'spend-25k',
    ),
    transparencyStandard(
      'counter-fraud',
      'Counter fraud activity',
      'What a council spends on counter fraud work and what it finds and recovers.',
      'fraud',
    ),
    transparencyStandard(
      'pay-multiples',
      'Pay multiples',
      'The ratio between the highest salary and the median salary of the whole workforce.',
      'pay_multiples',
    ),
    transparencyStandard(
      'trade-union-facility-time',
      'Trade union facility time',
      'How many staff are union representatives and what their facility time costs.',
      'trade_union_facility_time',
    ),
  ];
}

function transparencyStandard(slug: string, name: string, summary: string, file: string): StandardDefinition {
  return {
    slug,
    name,
    summary,
    ownerName: 'Frictionless Data community (Local Government Transparency Code schemas)',
    status: 'recommended',
    licence: 'MIT',
    guidance: TRANSPARENCY_GUIDANCE,
    sourceUrl: 'https://www.gov.uk/government/publications/local-government-transparency-code-2015',
    version: '1.0.0',
    versionNotes: 'The community schema as published.',
    descriptor: json('transparency', `${file}.json`),
    examples: [example('An illustrative return.', 'transparency', `${file}-example.csv`)],
  };
}

/** Loads the register of data standards. */
export async function seedDataSharingReference(services: { dataStandardsService: DataStandardsService }): Promise<number> {
  const standards = referenceStandards();
  for (const standard of standards) await services.dataStandardsService.registerStandard(standard);
  return standards.length;
}

const PUBLIC_BODIES = [
  'West Yorkshire Police',
  'Leeds Teaching Hospitals NHS Trust',
  'Royal Devon University Healthcare NHS Foundation Trust',
  'NHS Devon Integrated Care Board',
  'Oxford Health NHS Foundation Trust',
] as const;

const slugOf = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

function agreement(overrides: Partial<AgreementInput> & Pick<AgreementInput, 'title' | 'purpose' | 'parties'>): AgreementInput {
  return {
    lawfulBasis: 'public-task',
    specialCategory: false,
    article9Condition: '',
    schedule1Condition: '',
    dataSubjects: '',
    dataItems: '',
    standardSlugs: [],
    dpiaStatus: 'done',
    dpiaOutcome: '',
    dpiaTriggers: [],
    retention: '',
    security:
      'Sent only over encrypted connections (TLS 1.2 or later); held in systems certified to Cyber Essentials Plus; access by named roles, logged.',
    reviewDate: '2027-03-31',
    signedOffRole: 'Senior Information Risk Owner',
    signedOffByName: 'Demo Signatory',
    signedOffOn: '2026-04-01',
    contactName: '',
    contactEmail: '',
    leadRole: 'joint-controller',
    ...overrides,
  };
}

/** The demo agreements: the council that leads each, what it says, and how far it has got. */
const DEMO_AGREEMENTS: { lead: string; status: 'draft' | 'agreed' | 'active'; input: AgreementInput }[] = [
  {
    lead: 'E08000035',
    status: 'active',
    input: agreement({
      title: 'Leeds multi-agency safeguarding hub information sharing',
      purpose:
        'To share information about children and adults at risk between the council, police and health services in one hub, so that each referral is assessed with everything the partners know and the right help starts sooner.',
      parties: [
        { organisation: slugOf('West Yorkshire Police'), role: 'joint-controller' },
        { organisation: slugOf('Leeds Teaching Hospitals NHS Trust'), role: 'joint-controller' },
      ],
      specialCategory: true,
      article9Condition: 'substantial-public-interest',
      schedule1Condition: 'p2-safeguarding',
      dataSubjects: 'Children and adults referred to the hub because of a safeguarding concern, and members of their households.',
      dataItems:
        'Names, dates of birth and addresses; the concern referred; relevant police, health and social care history; outcomes of the hub’s assessment.',
      dpiaOutcome:
        'High inherent risk reduced to acceptable by role-based access, a daily audit of searches and a 24-hour decision standard.',
      dpiaTriggers: ['vulnerable-people', 'children', 'data-matching'],
      retention:
        'Hub records kept for six years after the last contact, then securely deleted; partners keep their own records under their own schedules.',
    }),
  },
  {
    lead: 'E10000008',
    status: 'active',
    input: agreement({
      title: 'Devon hospital discharge to adult social care',
      purpose:
        'To tell the council’s adult social care team, each day, who is medically fit to leave hospital and needs care at home or in a care home, so that care is arranged before the day of discharge.',
      parties: [
        { organisation: slugOf('Royal Devon University Healthcare NHS Foundation Trust'), role: 'controller' },
        { organisation: slugOf('NHS Devon Integrated Care Board'), role: 'controller' },
      ],
      leadRole: 'controller',
      specialCategory: true,
      article9Condition: 'health-social-care',
      schedule1Condition: 'p1-health-social-care',
      dataSubjects: 'Adults in hospital who are expected to need social care on discharge.',
      dataItems: 'NHS number, name, address, ward, expected discharge date, care needs summary and discharge pathway.',
      dpiaOutcome:
        'Medium risk; daily list limited to patients on a discharge pathway; sent through NHSmail and held in the social care record.',
      dpiaTriggers: ['vulnerable-people', 'large-scale'],
      retention:
        'Daily lists deleted after 30 days; what is needed for care planning is kept in the social care record under its schedule.',
    }),
  },
  {
    lead: 'E10000025',
    status: 'agreed',
    input: agreement({
      title: 'Oxfordshire directory of local services',
      purpose:
        'To publish one directory of local services run by the council, the NHS and voluntary groups, in the Open Referral UK standard, so any service finder can read it.',
      parties: [{ organisation: slugOf('Oxford Health NHS Foundation Trust'), role: 'joint-controller' }],
      dataSubjects: 'Contacts named by organisations for their services (work details only).',
      dataItems: 'Organisations, services, locations, opening times, eligibility and work contact details of services.',
      standardSlugs: ['open-referral-uk'],
      dpiaStatus: 'not-needed',
      dpiaOutcome: '',
      retention: 'Kept while the service is listed; removed within a month of a service closing.',
    }),
  },
  {
    lead: 'E08000009',
    status: 'draft',
    input: agreement({
      title: 'Trafford council tax single person discount review',
      purpose: 'To match council tax single person discounts against other records to find discounts that no longer apply.',
      parties: [{ organisation: 'open-digital-co-operative-demo-supplier', role: 'processor' }],
      leadRole: 'controller',
      lawfulBasis: 'legal-obligation',
      dataSubjects: 'Council tax payers receiving a single person discount.',
      dataItems: 'Names, addresses, discount start dates and the number of adults recorded at the address.',
      dpiaStatus: 'in-progress',
      dpiaTriggers: ['data-matching', 'large-scale', 'denial-of-service'],
      retention: 'Match results deleted 12 months after the review ends.',
      signedOffByName: '',
      signedOffOn: '',
    }),
  },
];

/** The demo exemplars, with the agreements, standards and councils behind each. */
const DEMO_EXEMPLARS = [
  {
    slug: 'multi-agency-safeguarding-hubs',
    title: 'Multi-agency safeguarding hubs',
    problem: 'Safeguarding decisions were made without what the police or health services already knew.',
    status: 'live' as const,
    outcomes: 'Referral decisions within 24 hours; fewer repeat referrals.',
    agreementSlugs: ['leeds-multi-agency-safeguarding-hub-information-sharing'],
    standardSlugs: [],
    participants: ['E08000035', slugOf('West Yorkshire Police'), slugOf('Leeds Teaching Hospitals NHS Trust')],
    replicatedBy: [],
  },
  {
    slug: 'hospital-discharge-data-flow',
    title: 'Hospital discharge data flow',
    problem: 'People well enough to leave hospital wait days because social care hears about them late.',
    status: 'live' as const,
    outcomes: 'Care arranged before the discharge date for more patients; fewer delayed days.',
    agreementSlugs: ['devon-hospital-discharge-to-adult-social-care'],
    standardSlugs: [],
    participants: [
      'E10000008',
      slugOf('Royal Devon University Healthcare NHS Foundation Trust'),
      slugOf('NHS Devon Integrated Care Board'),
    ],
    replicatedBy: [],
  },
  {
    slug: 'open-referral-service-directories',
    title: 'Service directories in Open Referral UK',
    problem: 'Councils, the NHS and charities each keep their own out-of-date list of the same local services.',
    status: 'replicated' as const,
    outcomes: 'One directory read by several service finders.',
    agreementSlugs: ['oxfordshire-directory-of-local-services'],
    standardSlugs: ['open-referral-uk'],
    participants: ['E10000025', slugOf('Oxford Health NHS Foundation Trust')],
    replicatedBy: ['E08000035'],
  },
  {
    slug: 'single-view-of-debt',
    title: 'A single view of debt owed to the council',
    problem: 'A resident behind on council tax, rent and benefits repayments is chased by three teams who do not know about each other.',
    status: 'in-progress' as const,
    outcomes: '',
    agreementSlugs: [],
    standardSlugs: [],
    participants: ['E08000009'],
    replicatedBy: [],
  },
  {
    slug: 'spend-data-comparison',
    title: 'Comparable spending data across councils',
    problem: 'Each council publishes its spending over £500 in its own layout, so nobody can compare prices.',
    status: 'proposed' as const,
    outcomes: '',
    agreementSlugs: [],
    standardSlugs: ['spending-over-500'],
    participants: ['E07000178', 'E10000008', 'E08000035', 'E08000009'],
    replicatedBy: [],
  },
];

/** Demo agreements and exemplars; the organisations they name are added to the register as public bodies. */
export async function seedDataSharingDemo(services: {
  organisationsService: OrganisationsService;
  agreementsService: AgreementsService;
  exemplarsService: ExemplarsService;
}): Promise<void> {
  for (const name of PUBLIC_BODIES) await services.organisationsService.addOrganisation({ kind: 'public-body', name, nation: 'England' });
  // The platform's demo supplier (added by the site's demo seed too; adding is skipped when it exists).
  await services.organisationsService.addOrganisation({
    kind: 'supplier',
    name: 'Open Digital Co-operative (demo supplier)',
    nation: 'England',
  });
  for (const { lead, input, status } of DEMO_AGREEMENTS) await services.agreementsService.addAgreementAsSystem(lead, input, status);
  for (const exemplar of DEMO_EXEMPLARS) await services.exemplarsService.addExemplar(exemplar);
}
