import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/support/engines.js';
import { organisationId } from '../../../test/support/factories.js';
import { buildTestApp } from '../../../test/support/test-app.js';
import type { ChallengesService } from './challenges.service.js';
import type { ServiceArea } from './challenges.tables.js';

/** Sixteen challenges as councils write them, across service areas, some close to each other on purpose. */
const CORPUS: { key: string; serviceArea: ServiceArea; title: string; problem: string }[] = [
  {
    key: 'temporary-accommodation',
    serviceArea: 'housing',
    title: 'Booking temporary accommodation for homeless households',
    problem:
      'Housing officers phone round bed and breakfasts every evening to find emergency temporary accommodation. Availability is kept in spreadsheets and we cannot see which placements suit families.',
  },
  {
    key: 'housing-register',
    serviceArea: 'housing',
    title: 'Managing the housing register and allocations',
    problem:
      'Applicants for social housing wait months for their banding to be assessed, and they phone us repeatedly to ask where they are on the list.',
  },
  {
    key: 'damp-and-mould',
    serviceArea: 'housing',
    title: 'Reporting damp and mould in council homes',
    problem:
      'Tenants report damp and mould by phone and email, so reports get lost. We cannot prove each report was inspected and fixed within the legal time limits.',
  },
  {
    key: 'send-transport',
    serviceArea: 'children-and-education',
    title: 'Routing home to school transport for children with SEND',
    problem:
      'Planning taxi and minibus routes for children with special educational needs takes weeks each summer, costs keep rising, and late placement changes break the plan.',
  },
  {
    key: 'ehcp-deadlines',
    serviceArea: 'children-and-education',
    title: 'Meeting the 20-week deadline for EHC plans',
    problem:
      'Education, health and care plan assessments miss the statutory 20 weeks because advice from health and social care arrives late.',
  },
  {
    key: 'single-person-discount',
    serviceArea: 'revenues-and-benefits',
    title: 'Reviewing council tax single person discounts',
    problem:
      'A third of households claim the single person discount and some no longer qualify. Reviews are a yearly paper mail-out with poor responses.',
  },
  {
    key: 'benefit-overpayments',
    serviceArea: 'revenues-and-benefits',
    title: 'Recovering housing benefit overpayments',
    problem: 'Overpaid housing benefit is recovered slowly because debts are tracked in two systems and letters go out by hand.',
  },
  {
    key: 'missed-bins',
    serviceArea: 'environment-and-waste',
    title: 'Reporting missed bin collections',
    problem:
      'Residents report missed bins on a web form the crews do not see until the next day, and we cannot tell whether the street was collected.',
  },
  {
    key: 'fly-tipping',
    serviceArea: 'environment-and-waste',
    title: 'Tackling fly-tipping hotspots',
    problem: 'Fly-tipping reports come without locations precise enough for crews, and we cannot see repeat hotspots for enforcement.',
  },
  {
    key: 'potholes',
    serviceArea: 'highways-and-transport',
    title: 'Finding duplicate pothole reports',
    problem:
      'The same pothole is reported many times, each creating a new inspection job, so inspectors visit the same road defect again and again.',
  },
  {
    key: 'parking-permits',
    serviceArea: 'highways-and-transport',
    title: 'Issuing residents parking permits online',
    problem: 'Residents apply for parking permits on paper and send proof of address by post; permits take three weeks to arrive.',
  },
  {
    key: 'care-assessments',
    serviceArea: 'adult-social-care',
    title: 'Financial assessments for adult social care',
    problem:
      'People needing care wait for a financial assessment of what they pay; long forms, posted evidence and re-keying slow everything down.',
  },
  {
    key: 'care-market',
    serviceArea: 'adult-social-care',
    title: 'Finding home care providers with capacity',
    problem: 'Brokers email dozens of home care agencies to find one with capacity for a new package, and hospital discharges are delayed.',
  },
  {
    key: 'planning-validation',
    serviceArea: 'planning-and-building-control',
    title: 'Validating planning applications before registration',
    problem:
      'Half of planning applications arrive invalid with missing drawings or wrong fees, and officers spend days chasing applicants.',
  },
  {
    key: 'foi-requests',
    serviceArea: 'corporate-and-technology',
    title: 'Answering freedom of information requests on time',
    problem: 'Freedom of information requests are tracked in a shared mailbox and many miss the 20 working day limit.',
  },
  {
    key: 'contact-centre',
    serviceArea: 'customer-services',
    title: 'Cutting avoidable calls to the contact centre',
    problem: 'Most calls to our contact centre are people chasing progress on something they reported online, because they get no updates.',
  },
];

/** The same problems as another council would write them: different words, the same need. */
const REPHRASED: { original: string; text: string }[] = [
  {
    original: 'temporary-accommodation',
    text: 'Emergency accommodation bookings. Our homelessness team rings hotels and B&Bs each night to place families in temporary housing and tracks vacancies in a spreadsheet.',
  },
  {
    original: 'send-transport',
    text: 'SEND school transport route planning. Arranging taxis for pupils with special needs to get to school is done by hand and is getting very expensive.',
  },
  {
    original: 'damp-and-mould',
    text: 'Mould and damp complaints from tenants. We need one way for council tenants to report mould so every case is inspected and repaired on time.',
  },
  {
    original: 'single-person-discount',
    text: 'Single person discount review for council tax. Checking whether households claiming the 25% discount still live alone.',
  },
  {
    original: 'missed-bins',
    text: 'Missed waste collections. Residents tell us their bin was not emptied but the crew information only reaches us a day later.',
  },
  {
    original: 'potholes',
    text: 'Duplicate reports of road defects. Many people report the same pothole and each report triggers a separate inspection.',
  },
];

describeEachEngine('similar challenges', ({ database }) => {
  let service: ChallengesService;
  let app: FastifyInstance;
  const ids = new Map<string, number>();

  beforeAll(async () => {
    const built = await buildTestApp(database());
    app = built.app;
    service = built.services.challengesService;
    const owners = await Promise.all(
      ['E07000178', 'E10000008', 'E08000035', 'E08000009'].map((code) => organisationId(database().db, code)),
    );
    for (const [index, entry] of CORPUS.entries()) {
      const id = await service.seedChallenge({
        ownerOrganisationId: owners[index % owners.length] ?? 0,
        challenge: { title: entry.title, problem: entry.problem, serviceArea: entry.serviceArea },
        sharers: [],
      });
      ids.set(entry.key, id);
    }
  });

  afterAll(async () => {
    await app.close();
  });

  for (const { original, text } of REPHRASED) {
    it(`ranks “${original}” first for a rephrasing of it`, async () => {
      const results = await service.findSimilarChallenges(text, { limit: 5 });
      expect(results[0]?.id, JSON.stringify(results.map((result) => [result.title, result.score]))).toBe(ids.get(original));
      expect(results[0]?.score).toBeGreaterThan(results[1]?.score ?? 0);
    });
  }

  it('scores between 0 and 1, best first', async () => {
    const results = await service.findSimilarChallenges('temporary accommodation for homeless families', { limit: 10 });
    expect(results.length).toBeGreaterThan(0);
    for (const result of results) expect(result.score).toBeGreaterThanOrEqual(0);
    for (const result of results) expect(result.score).toBeLessThanOrEqual(1);
    expect([...results].sort((a, b) => b.score - a.score).map((result) => result.id)).toEqual(results.map((result) => result.id));
  });

  it('finds nothing for an unrelated text', async () => {
    expect(await service.findSimilarChallenges('quantum chromodynamics lattice gauge')).toEqual([]);
  });

  it('leaves out drafts and the challenge itself', async () => {
    const own = ids.get('fly-tipping') ?? 0;
    const results = await service.findSimilarChallenges('Tackling fly-tipping hotspots', { excludeId: own });
    expect(results.map((result) => result.id)).not.toContain(own);
  });
});
