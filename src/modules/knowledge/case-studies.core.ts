import type { Actor } from '../../platform/actor.js';
import type { Clock } from '../../platform/clock.js';
import { InputError, NotFoundError } from '../../platform/errors.js';
import { highestSupportedLevel } from './evidence.js';
import { presentDetail, caseStudySlug } from './case-studies.records.js';
import { knowledgePolicy } from './knowledge.policy.js';
import type { CaseStudyRow, KnowledgeRepository, KnowledgeTransaction, LinkInput } from './knowledge.repository.js';
import { parseCaseStudyInput, type CaseStudyInput } from './case-studies.input.js';

/** An organisation as case studies show it (from the register, through its service). */
export interface OrganisationFacts {
  id: number;
  name: string;
  slug: string;
  gssCode: string | null;
  councilType: string | null;
  councilTypeName: string | null;
  region: string | null;
  population: number | null;
}

/** What the case studies need to know of other modules' records, asked through their services. */
export interface KnowledgeLookups {
  listOrganisationsByIds(ids: readonly number[]): Promise<OrganisationFacts[]>;
  findComponent(slug: string): Promise<{ slug: string; name: string } | null>;
  findStandard(slug: string): Promise<{ slug: string; title: string; pointNumbers: number[] } | null>;
  /** A public challenge, or null. */
  findChallenge(id: number): Promise<{ id: number; title: string; url: string } | null>;
  serviceAreaLabel: (area: string) => string;
}

export interface CaseStudyQuery {
  serviceArea?: string;
  /** Only this organisation's case studies (its page lists them). */
  organisationId?: number;
  minimumLevel?: number;
  sort?: 'newest' | 'title' | 'evidence';
  page: number;
  pageSize: number;
}

/** What the case studies' services are built from, wired in knowledge.services.ts. */
export interface CaseStudiesDependencies {
  knowledgeRepository: KnowledgeRepository;
  transaction: KnowledgeTransaction;
  lookups: KnowledgeLookups;
  clock: Clock;
  /** Told after every change (the search index refreshes case studies from here). */
  onChanged?: () => Promise<void>;
}

/** What the case studies' use cases share: loading related records, finding one, and checking a form against the other modules. Over 80 lines as a set of short functions sharing one set of dependencies. */
export function createCaseStudiesCore({ knowledgeRepository, lookups }: Pick<CaseStudiesDependencies, 'knowledgeRepository' | 'lookups'>) {
  async function loadRelated(rows: readonly CaseStudyRow[]) {
    const ids = rows.map((row) => row.id);
    const [outcomes, links, replications] = await Promise.all([
      knowledgeRepository.listOutcomes(ids),
      knowledgeRepository.listLinks(ids),
      knowledgeRepository.listReplications(ids),
    ]);
    const organisationIds = new Set<number>();
    for (const row of rows) {
      organisationIds.add(row.organisation_id);
      if (row.reviewer_organisation_id) organisationIds.add(row.reviewer_organisation_id);
    }
    for (const replication of replications) organisationIds.add(replication.organisation_id);
    const organisations = new Map(
      (await lookups.listOrganisationsByIds([...organisationIds])).map((organisation) => [organisation.id, organisation]),
    );
    return { outcomes, links, replications, organisations };
  }

  async function present(row: CaseStudyRow) {
    const related = await loadRelated([row]);
    return presentDetail(row, related, lookups.serviceAreaLabel(row.service_area));
  }

  async function requireCaseStudy(slug: string): Promise<CaseStudyRow> {
    const row = await knowledgeRepository.findCaseStudyBySlug(slug);
    if (!row) throw new NotFoundError(`No case study is called ${slug}`);
    return row;
  }

  function requireVisible(row: CaseStudyRow, actor: Actor | null): void {
    if (row.status !== 'published' && !knowledgePolicy.canSeeUnpublished(actor, row.organisation_id, row.status === 'submitted'))
      throw new NotFoundError(`No case study is called ${row.slug}`);
  }

  /** Checks each link against its module and returns the links to keep, or the problems found. */
  async function resolveLinks(input: CaseStudyInput): Promise<{ links: LinkInput[]; problems: { field: string; message: string }[] }> {
    const links: LinkInput[] = [];
    const problems: { field: string; message: string }[] = [];
    for (const slug of input.components) {
      const component = await lookups.findComponent(slug);
      if (component) links.push({ kind: 'component', reference: component.slug, pointNumber: null, label: component.name });
      else
        problems.push({
          field: 'components',
          message: `No component in the catalogue is called “${slug}”. Use the name at the end of its page address.`,
        });
    }
    for (const { slug, pointNumber } of input.standards) {
      const standard = await lookups.findStandard(slug);
      if (!standard) problems.push({ field: 'standards', message: `No published standard is called “${slug}”.` });
      else if (pointNumber !== null && !standard.pointNumbers.includes(pointNumber))
        problems.push({ field: 'standards', message: `${standard.title} has no point ${pointNumber}.` });
      else links.push({ kind: 'standard', reference: standard.slug, pointNumber, label: standard.title });
    }
    for (const id of input.challenges) {
      const challenge = await lookups.findChallenge(id);
      if (challenge) links.push({ kind: 'challenge', reference: String(challenge.id), pointNumber: null, label: challenge.title });
      else problems.push({ field: 'challenges', message: `No public challenge has the number ${id}.` });
    }
    for (const name of input.suppliers) links.push({ kind: 'supplier', reference: caseStudySlug(name), pointNumber: null, label: name });
    for (const name of input.agreements) links.push({ kind: 'agreement', reference: caseStudySlug(name), pointNumber: null, label: name });
    return { links, problems };
  }

  async function uniqueSlug(title: string): Promise<string> {
    const base = caseStudySlug(title);
    for (let suffix = 1; ; suffix += 1) {
      const candidate = suffix === 1 ? base : `${base}-${suffix}`;
      if (!(await knowledgeRepository.slugExists(candidate))) return candidate;
    }
  }

  function rowValues(input: CaseStudyInput) {
    return {
      title: input.title,
      summary: input.summary,
      problem: input.problem,
      what_we_did: input.whatWeDid,
      service_area: input.serviceArea,
      cost_one_off_band: input.costOneOffBand,
      cost_yearly_band: input.costYearlyBand,
      cost_one_off_pounds: input.costOneOffPounds,
      cost_yearly_pounds: input.costYearlyPounds,
      lessons: input.lessons,
      do_differently: input.doDifferently,
      claimed_level: input.claimedLevel,
      claim_justification: input.claimJustification,
      contact_name: input.contactName,
      contact_email: input.contactEmail,
      contact_consent: input.contactConsent,
      sources: input.sources,
    };
  }

  /** Parses and checks a case study's form or API body: fields, outcomes, links, and that the claim fits the outcomes. */
  async function checkInput(raw: Record<string, unknown>): Promise<{ input: CaseStudyInput; links: LinkInput[] }> {
    const { input, problems } = parseCaseStudyInput(raw, lookups.serviceAreaLabel);
    const resolved = input ? await resolveLinks(input) : { links: [], problems: [] };
    const all = [...problems, ...resolved.problems];
    if (input && input.claimedLevel > highestSupportedLevel(input.outcomes)) {
      all.push({
        field: 'claimedLevel',
        message: `Your outcomes support up to level ${highestSupportedLevel(input.outcomes)}: add how each was measured (for example a comparison group for level 3), or claim a lower level.`,
      });
    }
    if (!input || all.length > 0) throw new InputError('There is a problem with the case study', all);
    return { input, links: resolved.links };
  }
  return { loadRelated, present, requireCaseStudy, requireVisible, uniqueSlug, rowValues, checkInput };
}

export type CaseStudiesCore = ReturnType<typeof createCaseStudiesCore>;
