/**
 * The standards demo: its content (most of this file is data) and the one demo-only writer, recordAssessmentOutcome.
 * Over 400 lines because of the content it lists; the code in it is short.
 */
import { isoDate } from '../../platform/clock.js';
import { ConflictError, InputError } from '../../platform/errors.js';
import type { OrganisationsService } from '../organisations/index.js';
import type { StandardsService } from './standards.service.js';
import type { Basis, Rating } from './standards.tables.js';
import type { PointInput } from './standards.types.js';
import { monthsBefore, outcomeOfRatings } from './standards.records.js';
import { type StandardsCore, type StandardsDependencies } from './standards.core.js';

/**
 * Demo standards, written for this project from the public facts of real ones: a local service standard with 15
 * points in the spirit of the Local Government Digital Service Standard (2016), a data-sharing readiness standard,
 * and an accessibility standard that points to WCAG 2.2 level AA and the 2018 accessibility regulations.
 */
const point = (title: string, meaning: string, whyItMatters: string, howToMeet: string, evidenceGuidance: string): PointInput => ({
  title,
  meaning,
  whyItMatters,
  howToMeet,
  evidenceGuidance,
});

export const DEMO_STANDARDS: readonly { slug: string; title: string; purpose: string; points: readonly PointInput[] }[] = [
  {
    slug: 'local-service-standard',
    title: 'Local service standard',
    purpose:
      'Fifteen points a council service should meet so residents can use it first time, built and run by a team that keeps improving it. Written in the spirit of the Local Government Digital Service Standard that councils agreed in 2016.',
    points: [
      point(
        'Know who uses the service and what they need',
        'The team has met the people who use the service, including those who struggle with it, and writes down what they are trying to get done.',
        'Services designed around assumptions fail the residents who most need them.',
        'Do research with real users before and during building; keep a short list of user needs.',
        'Research notes, a list of user needs, recordings or summaries of sessions.',
      ),
      point(
        'Have a team that can own and change the service',
        'A named service owner can make decisions, with people for research, design, delivery and technology.',
        'Without someone who can decide, problems found in research never get fixed.',
        'Name the service owner and the team; agree who decides what.',
        'A team chart, the service owner’s name and role.',
      ),
      point(
        'Work in small steps and learn from each',
        'The team ships in small increments, checks what happened and adjusts the plan.',
        'Big launches hide problems until they are expensive.',
        'Plan short cycles; review each with users and data.',
        'Sprint notes, release history, show-and-tell records.',
      ),
      point(
        'Be able to keep improving after launch',
        'Money, people and contracts allow the service to change after it goes live.',
        'A service frozen at launch falls behind what residents need.',
        'Keep a funded team or contract that allows changes; keep a backlog.',
        'Budget lines, a contract clause allowing change, the live backlog.',
      ),
      point(
        'Look after personal data and security',
        'The team knows what data the service holds, why, and how it is protected, and has assessed the risks.',
        'Residents must be able to trust the council with their information.',
        'Complete a data protection impact assessment; test security; agree how long data is kept.',
        'The impact assessment, a security test report, the retention schedule.',
      ),
      point(
        'Use open standards and share what you make',
        'The service uses common data standards and registers, and publishes code and designs where it safely can.',
        'Every council rebuilding the same thing wastes money that could serve residents.',
        'Choose open standards first; publish code under an open licence; reuse existing components.',
        'Links to published code, the standards used, components reused.',
      ),
      point(
        'Test the whole service end to end',
        'The service is tested from start to finish, on the devices and browsers residents use, including offline steps.',
        'Most failures happen where one part hands over to another.',
        'Test every route through the service in a copy of the live setup.',
        'A test plan, results across devices, the list of browsers supported.',
      ),
      point(
        'Make it accessible to everyone',
        'Disabled people can use the service, and it meets WCAG 2.2 level AA.',
        'Around one in five people has a disability; the law requires public services to be accessible.',
        'Test with assistive technology and with disabled users; publish an accessibility statement.',
        'An audit report, the accessibility statement, research with disabled users.',
      ),
      point(
        'Help people who cannot use it online',
        'There is support for people who cannot use the online service alone, and it is joined up with phone and face-to-face help.',
        'Digital services that leave people behind move cost and distress elsewhere.',
        'Design assisted routes with front-line staff; measure who needs help.',
        'Assisted digital plan, call and visit figures, staff guidance.',
      ),
      point(
        'Look and work like other public services',
        'The service uses familiar patterns, such as the GOV.UK Design System, and plain English.',
        'People learn a pattern once and reuse that knowledge everywhere.',
        'Use shared design patterns; test the wording with users.',
        'Screenshots, the pattern library used, content review notes.',
      ),
      point(
        'Encourage people to use the digital route',
        'Residents who can use the online route are helped to choose it, without removing other routes.',
        'Digital take-up is where much of the saving and convenience comes from.',
        'Make the online route easy to find and better than the alternatives; measure take-up.',
        'Take-up figures over time, changes made to improve them.',
      ),
      point(
        'Measure how well the service works',
        'The team measures completion, satisfaction, cost per transaction and take-up, and acts on the figures.',
        'Without measures nobody knows whether a change helped.',
        'Agree measures before launch; publish them; review them regularly.',
        'A performance dashboard, minutes of reviews that used it.',
      ),
      point(
        'Show it to the people accountable for it',
        'The service has been shown to the responsible senior officer and lead member, who have used it.',
        'Leaders who have used a service make better decisions about it.',
        'Demonstrate the service to senior officers and councillors before launch.',
        'Dates and notes of demonstrations.',
      ),
      point(
        'Plan for when things go wrong',
        'There is a plan for the service being unavailable, with ways for residents to carry on.',
        'Outages hit people who depend on the service hardest.',
        'Write and test an outage plan; tell residents what to do.',
        'The outage plan, the last test of it.',
      ),
      point(
        'Work in the open with other councils',
        'The team shares what it learns, reuses other councils’ work and tells others what it is building.',
        'Councils solve the same problems; sharing saves everyone time.',
        'Publish case studies and plans; look for others’ work before starting.',
        'Links to blog posts, case studies, reused work.',
      ),
    ],
  },
  {
    slug: 'data-sharing-readiness',
    title: 'Data-sharing readiness standard',
    purpose:
      'What a council needs in place before it shares personal or operational data with another organisation, so that sharing is lawful, safe, useful and open to scrutiny.',
    points: [
      point(
        'Know the purpose and the lawful basis',
        'The purpose of the sharing is written down, with its lawful basis under UK GDPR and the Data Protection Act 2018.',
        'Sharing without a clear purpose and basis is unlawful and erodes trust.',
        'Agree the purpose with the other party; record the lawful basis.',
        'The purpose statement and lawful basis in the agreement.',
      ),
      point(
        'Assess the risks to people',
        'A data protection impact assessment has been done where the sharing could put people at high risk.',
        'It finds harms before they happen.',
        'Complete the assessment with the data protection officer.',
        'The completed impact assessment.',
      ),
      point(
        'Have a signed data-sharing agreement',
        'A written agreement names the parties, the data, the purpose, security and review date.',
        'It makes responsibilities clear when something goes wrong.',
        'Use a standard agreement template; sign it at the right level.',
        'The signed agreement.',
      ),
      point(
        'Use a shared data standard',
        'The data follows a published standard, such as a Table Schema, so both sides read it the same way.',
        'Mismatched formats cause errors and expensive rework.',
        'Choose an existing standard; validate files against it.',
        'The standard used and validation reports.',
      ),
      point(
        'Check the quality of the data',
        'Known gaps and errors in the data are measured and described.',
        'Decisions made on poor data harm people.',
        'Run quality checks before sharing; publish a short quality note.',
        'Quality reports.',
      ),
      point(
        'Move data securely',
        'Data travels and is stored with protection that fits its sensitivity.',
        'Leaks cause real harm and lasting loss of trust.',
        'Use encrypted transfer and access controls; log access.',
        'Security design, access logs.',
      ),
      point(
        'Tell the public',
        'The sharing appears in a public register and privacy notices say what is shared and why.',
        'Openness lets residents and others hold the council to account.',
        'Publish the agreement summary; update privacy notices.',
        'Links to the register entry and privacy notice.',
      ),
      point(
        'Review it on time',
        'The sharing has a review date and is reviewed, changed or stopped on that date.',
        'Sharing that outlives its purpose is a risk with no benefit.',
        'Set a review date; put it in someone’s diary.',
        'Review records.',
      ),
    ],
  },
  {
    slug: 'accessibility',
    title: 'Accessibility standard',
    purpose:
      'Council websites, apps and documents meet WCAG 2.2 level AA, as the Public Sector Bodies (Websites and Mobile Applications) Accessibility Regulations 2018 expect, and stay that way.',
    points: [
      point(
        'Meet WCAG 2.2 level AA',
        'Pages and apps meet the success criteria of WCAG 2.2 at levels A and AA.',
        'It is the benchmark the regulations and the courts use.',
        'Audit against WCAG 2.2 AA; fix what fails.',
        'An audit report naming the criteria checked.',
      ),
      point(
        'Publish an accessibility statement',
        'Each website and app has a statement in the required format, kept up to date.',
        'It tells people what will not work for them and how to get help.',
        'Use the model statement; review it at least once a year.',
        'The link to the statement and its review date.',
      ),
      point(
        'Test with disabled people',
        'Disabled people, using their own assistive technology, have tried the service.',
        'Automated tools find only part of the problems.',
        'Include disabled participants in every research round.',
        'Research plans and findings.',
      ),
      point(
        'Check with automated and manual tools',
        'Automated checks run on every change, and manual checks with screen readers and keyboards are done regularly.',
        'It catches regressions before residents meet them.',
        'Add automated checks to the build; plan manual checks.',
        'Build logs, manual test notes.',
      ),
      point(
        'Make documents accessible',
        'New documents are accessible, and essential older ones are fixed or offered in another form.',
        'Many council services still depend on documents.',
        'Prefer web pages to PDFs; check documents before publishing.',
        'Document checks, the list of fixed documents.',
      ),
      point(
        'Buy accessible products',
        'Contracts require suppliers to meet WCAG 2.2 AA and to fix failures.',
        'Most council software is bought, not built.',
        'Put accessibility requirements and tests in every contract.',
        'Contract clauses and supplier test results.',
      ),
      point(
        'Fix problems people report',
        'There is a way to report a problem, and reports are answered and fixed within set times.',
        'People who meet a barrier need it removed, not just noted.',
        'Publish how to report; track reports to closure.',
        'The report log with dates.',
      ),
    ],
  },
];

/** Demo councils whose people (see the demo people) have assessments, so signing in shows a working service. */
const NAMED_DEMO_ASSESSMENTS = [
  {
    code: 'E08000035',
    standard: 'local-service-standard',
    service: 'Report a missed bin',
    ratings: ['met'] as Rating[],
    bases: ['self', 'peer'] as Basis[],
    peer: 'E08000009',
  },
  {
    code: 'E10000008',
    standard: 'local-service-standard',
    service: 'Apply for a school place',
    ratings: ['met'] as Rating[],
    bases: ['self', 'peer', 'audited'] as Basis[],
    peer: 'E08000035',
  },
  {
    code: 'E08000009',
    standard: 'accessibility',
    service: null,
    ratings: ['met', 'met', 'partly-met'] as Rating[],
    bases: ['self'] as Basis[],
    peer: null,
  },
] as const;

const STANDARD_SPREAD: Record<string, { every: number; offset: number }> = {
  'local-service-standard': { every: 6, offset: 1 },
  'data-sharing-readiness': { every: 13, offset: 4 },
  accessibility: { every: 4, offset: 2 },
};

/**
 * Loads the demo standards (published, version 1) and demo assessments by councils spread over the last two years,
 * including some not met and some out of date, so the adoption dashboard has something to show. Safe to run again.
 */
export async function seedStandardsDemo(
  services: { standardsService: StandardsService; organisationsService: OrganisationsService },
  onDate: string = isoDate(new Date()),
): Promise<void> {
  const { standardsService, organisationsService } = services;
  await organisationsService.addOrganisation({ kind: 'institute', name: 'Local Digital Commons Institute (demo)', nation: 'England' });
  const institute = await organisationsService.getOrganisation('local-digital-commons-institute-demo');
  const existing = new Set((await standardsService.listStandards()).map((standard) => standard.slug));
  const councils = await organisationsService.listCurrentPrincipalCouncils('England', onDate);
  const named = new Set<string>(NAMED_DEMO_ASSESSMENTS.map((entry) => entry.code));
  named.add('E07000178'); // Oxford starts with none, so the demo journey begins with a first self-assessment.

  for (const standard of DEMO_STANDARDS) {
    if (existing.has(standard.slug)) continue;
    await standardsService.createStandard(null, { ...standard, ownerOrganisationId: institute.id });
    await standardsService.changeVersionStatus(null, standard.slug, 1, 'published', 'First version.');

    const spread = STANDARD_SPREAD[standard.slug] ?? { every: 10, offset: 0 };
    const chosen = councils.filter((council, index) => index % spread.every === spread.offset && !named.has(council.gssCode ?? ''));
    for (const [index, council] of chosen.entries()) {
      // Spread over 30 months: the oldest are out of date; every fifth is not met; some are peer-reviewed or audited.
      const monthsAgo = (index * 7) % 30;
      const decidedOn = monthsBefore(onDate, monthsAgo);
      const ratings: Rating[] = index % 5 === 4 ? ['met', 'not-met', 'partly-met'] : index % 7 === 3 ? ['met', 'not-applicable'] : ['met'];
      const bases: Basis[] = index % 6 === 0 ? ['self', 'peer', 'audited'] : index % 3 === 1 ? ['self', 'peer'] : ['self'];
      await standardsService.recordAssessmentOutcome({
        standardSlug: standard.slug,
        organisationId: council.id,
        serviceName: null,
        ratings,
        decisions: bases.map((basis, step) => ({ basis, decidedOn: monthsBefore(decidedOn, (bases.length - 1 - step) * 1) })),
      });
    }
    for (const entry of NAMED_DEMO_ASSESSMENTS.filter((candidate) => candidate.standard === standard.slug)) {
      const council = await organisationsService.getOrganisation(entry.code);
      const peer = entry.peer ? await organisationsService.getOrganisation(entry.peer) : null;
      await standardsService.recordAssessmentOutcome({
        standardSlug: standard.slug,
        organisationId: council.id,
        serviceName: entry.service,
        ratings: [...entry.ratings],
        decisions: entry.bases.map((basis, step) => ({ basis, decidedOn: monthsBefore(onDate, 4 - step) })),
        peerOrganisationId: peer?.id ?? null,
      });
    }
  }
}

/**
 * Writes only the demo content and tests need, kept out of the use-case services. createStandardsService composes them
 * into the standards service, so the demo seed and tests reach them through the one wiring.
 */
export function createStandardsDemoWriters(deps: StandardsDependencies, core: StandardsCore) {
  const { standardsRepository, transaction } = deps;
  const { audit, requireStandard, currentOf } = core;

  return {
    /**
     * Records a finished assessment directly, with its decisions on the given dates (demo content and tests only:
     * real assessments go through the self-assessment, peer review and audit steps). One audit event.
     */
    async recordAssessmentOutcome(input: {
      standardSlug: string;
      organisationId: number;
      serviceName: string | null;
      ratings: readonly Rating[];
      decisions: readonly { basis: Basis; decidedOn: string }[];
      peerOrganisationId?: number | null;
    }): Promise<number> {
      const standard = await requireStandard(input.standardSlug);
      const current = currentOf(await standardsRepository.listVersions(standard.id));
      if (!current) throw new ConflictError(`${standard.title} has no published version`);
      const points = await standardsRepository.listPoints([current.id]);
      const outcome = outcomeOfRatings(points.map((_, index) => input.ratings[index % input.ratings.length] ?? null));
      const last = input.decisions[input.decisions.length - 1];
      if (!last) throw new InputError('An assessment needs at least one decision');
      const stage = last.basis === 'self' ? 'self-assessed' : last.basis === 'peer' ? 'peer-reviewed' : 'audited';
      return transaction(async (repository, trx) => {
        const assessment = await repository.insertAssessment({
          standard_id: standard.id,
          version_id: current.id,
          organisation_id: input.organisationId,
          service_name: input.serviceName,
          stage,
          outcome,
          basis: last.basis,
          outcome_on: last.decidedOn,
          peer_organisation_id: input.peerOrganisationId ?? null,
          started_by: null,
          signed_off_at: new Date(`${last.decidedOn}T12:00:00Z`),
        });
        for (const [index, point] of points.entries()) {
          const rating = input.ratings[index % input.ratings.length] ?? 'met';
          await repository.upsertRating({
            assessment_id: assessment.id,
            point_id: point.id,
            reviewer: 'self',
            rating,
            commentary: rating === 'not-applicable' ? 'This service has no such part.' : '',
            rated_by: null,
          });
        }
        for (const decision of input.decisions) {
          await repository.insertDecision({
            assessment_id: assessment.id,
            standard_id: standard.id,
            organisation_id: input.organisationId,
            outcome,
            basis: decision.basis,
            decided_on: decision.decidedOn,
            decided_by: null,
          });
        }
        await audit(trx, null, {
          action: 'assessment.record',
          subjectType: 'assessment',
          subjectId: assessment.id,
          organisationId: input.organisationId,
          before: null,
          after: { standard: standard.slug, outcome, basis: last.basis, decidedOn: last.decidedOn },
        });
        return assessment.id;
      });
    },
  };
}
