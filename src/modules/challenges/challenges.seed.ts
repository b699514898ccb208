import type { OrganisationsService } from '../organisations/index.js';
import type { ChallengesService } from './challenges.service.js';
import type { Stage } from './challenges.tables.js';
import type { ChallengeInput, ShareInput } from './challenges.types.js';
import { validateChallenge, validateShare } from './challenges.validation.js';
import { type ChallengesCore, type ChallengesDependencies } from './challenges.core.js';

interface DemoChallenge {
  owner: string;
  challenge: ChallengeInput & { stage?: Stage };
  sharers: (ShareInput & { organisation: string })[];
  /** Months since the owner last touched it: more than six shows a stale challenge. */
  monthsSinceUpdate?: number;
}

// Written for this project: realistic problems councils describe, in our own words. GSS codes are from the register.
const DEMO_CHALLENGES: DemoChallenge[] = [
  {
    owner: 'E07000178',
    challenge: {
      title: 'Booking temporary accommodation for homeless households',
      problem:
        'Housing officers phone round bed and breakfasts and private providers every evening to find emergency temporary accommodation for homeless households. Availability lives in spreadsheets and email, rates vary by provider, and we cannot see which placements are suitable for families with children.',
      affects: 'Homeless households, housing options officers, out-of-hours duty staff',
      serviceArea: 'housing',
      workaround: 'A shared spreadsheet of providers and a phone list, updated by hand each morning.',
      goodLooksLike: 'Officers see live vacancies with prices and suitability, book a placement in minutes and track every night paid for.',
      constraints: 'Must work out of hours on a phone; current case management contract ends in 2027.',
      budgetBand: '25k-100k',
      timescale: 'Within 12 months',
      contractEndDate: '2027-03-31',
      contactName: 'Housing options team',
      contactEmail: 'housing.options@oxford.gov.uk',
      scale: 900,
      scaleUnit: 'households',
      stage: 'exploring',
    },
    sharers: [
      {
        organisation: 'E08000035',
        scale: 2400,
        scaleUnit: 'households',
        budgetBand: '100k-500k',
        timing: '2026 to 2027',
        comment: 'Same nightly ring-round here.',
      },
      { organisation: 'E08000009', scale: 350, scaleUnit: 'households', budgetBand: '25k-100k', timing: 'Next financial year' },
      { organisation: 'E06000043', scale: 1700, scaleUnit: 'households', budgetBand: '25k-100k', timing: 'As soon as possible' },
    ],
  },
  {
    owner: 'E10000008',
    challenge: {
      title: 'Routing home to school transport for children with SEND',
      problem:
        'Planning taxi and minibus routes for children with special educational needs and disabilities takes weeks each summer. Routes are built by hand from paper applications, costs have doubled in five years, and late changes to a child’s placement break the plan.',
      affects: 'Children with SEND and their families, transport planners, schools',
      serviceArea: 'children-and-education',
      workaround: 'Spreadsheets and a desktop mapping tool used by two specialists.',
      goodLooksLike: 'Routes optimised automatically against pick-up times and needs, re-planned in a day when a placement changes.',
      constraints: 'Operators’ framework renews in 2027; data must stay in the UK.',
      budgetBand: '100k-500k',
      timescale: 'Before the September 2027 school year',
      contractEndDate: '2027-07-31',
      contactName: 'Passenger transport team',
      contactEmail: 'transport.team@devon.gov.uk',
      scale: 4200,
      scaleUnit: 'residents',
      stage: 'funded',
    },
    sharers: [
      { organisation: 'E08000035', scale: 3800, budgetBand: '100k-500k', timing: '2027' },
      { organisation: 'E08000009', scale: 900, budgetBand: '25k-100k', timing: '2027' },
      {
        organisation: 'E10000016',
        scale: 6100,
        budgetBand: '500k-plus',
        timing: '2027 to 2028',
        comment: 'Interested in buying together.',
      },
      { organisation: 'E10000025', scale: 2500, budgetBand: '100k-500k', timing: '2027' },
    ],
  },
  {
    owner: 'E08000035',
    challenge: {
      title: 'Reporting damp and mould in council homes',
      problem:
        'Tenants report damp and mould by phone, email and to repairs operatives, so reports are lost or duplicated. We cannot show that every report was inspected and fixed within the legal time limits, or spot homes where mould comes back.',
      affects: 'Council tenants, repairs teams, housing officers',
      serviceArea: 'housing',
      workaround: 'Repairs logged in the housing system with free-text notes; a weekly manual report.',
      goodLooksLike: 'One place to report with photos, automatic triage by risk, and a dashboard of open cases against deadlines.',
      constraints: 'Must integrate with the housing management system.',
      budgetBand: '100k-500k',
      timescale: 'This financial year',
      contactName: 'Housing Leeds repairs',
      contactEmail: 'repairs.digital@leeds.gov.uk',
      scale: 53000,
      scaleUnit: 'households',
      stage: 'in-delivery',
    },
    sharers: [
      { organisation: 'E07000178', scale: 7800, scaleUnit: 'households', budgetBand: '25k-100k', timing: 'This year' },
      { organisation: 'E08000003', scale: 15000, scaleUnit: 'households', budgetBand: '100k-500k', timing: 'This year' },
    ],
  },
  {
    owner: 'E08000009',
    challenge: {
      title: 'Reviewing council tax single person discounts',
      problem:
        'Around a third of households get the 25% single person discount and some no longer qualify. Reviews are a yearly mail-out with poor response rates, and matching against other data sets is done by hand.',
      affects: 'Council tax payers, revenues officers',
      serviceArea: 'revenues-and-benefits',
      workaround: 'An outsourced annual review with a paper form.',
      goodLooksLike: 'Continuous checks against trusted data with a simple online declaration for residents asked to confirm.',
      constraints: 'Lawful basis for data matching must be clear; review contract ends next March.',
      budgetBand: '25k-100k',
      timescale: 'Next billing year',
      contractEndDate: '2027-03-31',
      contactName: 'Revenues team',
      contactEmail: 'revenues@trafford.gov.uk',
      scale: 31000,
      scaleUnit: 'households',
    },
    sharers: [
      { organisation: 'E07000178', scale: 18000, scaleUnit: 'households', budgetBand: 'under-25k', timing: 'Next billing year' },
      { organisation: 'E08000035', scale: 120000, scaleUnit: 'households', budgetBand: '25k-100k', timing: 'Next billing year' },
      {
        organisation: 'E07000026',
        scale: 15000,
        scaleUnit: 'households',
        budgetBand: 'under-25k',
        comment: 'Joined before the 2023 reorganisation into Cumberland.',
      },
    ],
  },
  {
    owner: 'E07000078',
    challenge: {
      title: 'Reporting missed bin collections',
      problem:
        'Residents report missed bins through a web form that crews never see until the next day. Many reports are for bins that were not put out, and we cannot tell residents whether their street was collected.',
      affects: 'Residents, waste crews, contact centre',
      serviceArea: 'environment-and-waste',
      workaround: 'Contact centre staff check a paper round sheet and phone the depot.',
      goodLooksLike: 'Crews record collections in the cab, residents see their street’s status before they report.',
      budgetBand: 'under-25k',
      scale: 52000,
      scaleUnit: 'households',
    },
    sharers: [{ organisation: 'E07000178', scale: 65000, scaleUnit: 'households', budgetBand: 'under-25k' }],
  },
  {
    owner: 'E10000008',
    challenge: {
      title: 'Finding duplicate pothole reports',
      problem:
        'The same pothole is reported many times by different people, each creating a new inspection job. Inspectors visit the same defect repeatedly while other reports wait.',
      affects: 'Highway inspectors, residents reporting defects',
      serviceArea: 'highways-and-transport',
      workaround: 'Inspectors check a map by eye before each visit.',
      goodLooksLike: 'New reports near an open defect are linked to it automatically and the reporter is told it is known.',
      budgetBand: '25k-100k',
      scale: 40000,
      scaleUnit: 'cases',
    },
    sharers: [{ organisation: 'E10000016', scale: 60000, scaleUnit: 'cases', budgetBand: '25k-100k' }],
    monthsSinceUpdate: 8,
  },
  {
    owner: 'E08000035',
    challenge: {
      title: 'Financial assessments for adult social care',
      problem:
        'People waiting for care wait again for a financial assessment that decides what they pay. Forms are long, evidence is posted in, and officers re-key everything into the social care system.',
      affects: 'Adults needing care and their families, financial assessment officers',
      serviceArea: 'adult-social-care',
      workaround: 'Paper forms and scanned evidence.',
      goodLooksLike: 'An online assessment that calculates a likely contribution and sends evidence straight to the case.',
      budgetBand: '100k-500k',
      scale: 9000,
      scaleUnit: 'cases',
    },
    sharers: [{ organisation: 'E10000008', scale: 11000, scaleUnit: 'cases', budgetBand: '100k-500k' }],
  },
  {
    owner: 'E08000009',
    challenge: {
      title: 'Validating planning applications before they are registered',
      problem:
        'Half of planning applications arrive invalid: missing drawings, wrong fees or unclear site plans. Officers spend days chasing applicants before the statutory clock can start.',
      affects: 'Applicants and agents, planning technicians',
      serviceArea: 'planning-and-building-control',
      workaround: 'Checklists and emails to agents.',
      goodLooksLike: 'Applicants get instant checks on documents and fees before they submit.',
      budgetBand: '25k-100k',
      scale: 2600,
      scaleUnit: 'cases',
    },
    sharers: [],
  },
];

/** Loads the demo challenges (some shared by several demo councils, one stale). Safe to run again. */
export async function seedChallengesDemo(services: {
  challengesService: ChallengesService;
  organisationsService: OrganisationsService;
}): Promise<void> {
  const idOf = async (code: string) => (await services.organisationsService.getOrganisation(code)).id;
  const now = Date.now();
  for (const demo of DEMO_CHALLENGES) {
    await services.challengesService.seedChallenge({
      ownerOrganisationId: await idOf(demo.owner),
      challenge: demo.challenge,
      sharers: await Promise.all(
        demo.sharers.map(async ({ organisation, ...share }) => ({ ...share, organisationId: await idOf(organisation) })),
      ),
      ...(demo.monthsSinceUpdate ? { updatedAt: new Date(now - demo.monthsSinceUpdate * 30 * 86_400_000) } : {}),
    });
  }
}

/**
 * Writes only the demo content and tests need, kept out of the use-case services. createChallengesService composes them
 * into the challenges service, so the demo seed and tests reach them through the one wiring.
 */
export function createChallengesDemoWriters(deps: ChallengesDependencies, core: ChallengesCore) {
  const { challengesRepository, transaction } = deps;
  const { audit } = core;

  return {
    /**
     * Loads one demo challenge owned by a council, with other councils sharing it, in one transaction and one audit
     * event (no person acts: the system does). Skipped when the owner already has a challenge with the same title.
     */
    async seedChallenge(input: {
      ownerOrganisationId: number;
      challenge: ChallengeInput & { stage?: Stage };
      sharers: (ShareInput & { organisationId: number })[];
      updatedAt?: Date;
    }): Promise<number> {
      const existing = await challengesRepository.findChallengeByTitle(input.ownerOrganisationId, input.challenge.title.trim());
      if (existing) return existing.id;
      const values = validateChallenge(input.challenge);
      const ownerShare = validateShare(input.challenge);
      return transaction(async (repository, trx) => {
        const row = await repository.insertChallenge({
          ...values,
          stage: input.challenge.stage ?? 'identified',
          owner_organisation_id: input.ownerOrganisationId,
          created_by: null,
          ...(input.updatedAt ? { updated_at: input.updatedAt } : {}),
        });
        await repository.insertStageHistory({ challenge_id: row.id, stage: row.stage, note: 'Posted', changed_by: null });
        await repository.insertSharer({ challenge_id: row.id, organisation_id: input.ownerOrganisationId, joined_by: null, ...ownerShare });
        for (const share of input.sharers)
          await repository.insertSharer({
            challenge_id: row.id,
            organisation_id: share.organisationId,
            joined_by: null,
            ...validateShare(share),
          });
        await audit(trx, null, {
          action: 'challenge.create',
          subjectType: 'challenge',
          subjectId: row.id,
          organisationId: input.ownerOrganisationId,
          before: null,
          after: { ...row, sharers: input.sharers.map((share) => share.organisationId) },
        });
        return row.id;
      });
    },
  };
}
