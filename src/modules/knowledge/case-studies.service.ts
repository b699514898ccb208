import type { Actor } from '../../platform/actor.js';
import { recordAuditEvent } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { SearchDocumentInput } from '../../platform/search.js';
import { EVIDENCE_CRITERIA, effectiveEvidenceLevel, highestSupportedLevel, REPLICATION_RULES } from './evidence.js';
import { COST_BAND_LABELS, METHOD_LABELS, STATUS_LABELS } from './knowledge.labels.js';
import { knowledgePolicy } from './knowledge.policy.js';
import type {
  CaseStudyRow,
  KnowledgeRepository,
  KnowledgeTransaction,
  LinkInput,
  LinkRow,
  OutcomeInput,
  OutcomeRow,
  ReplicationRow,
} from './knowledge.repository.js';
import {
  COST_BANDS,
  type CostBand,
  EVIDENCE_LEVELS,
  type LinkKind,
  MEASUREMENT_METHODS,
  type MeasurementMethod,
} from './knowledge.tables.js';
import { parseCaseStudyInput, parseReplicationInput, type CaseStudyInput, type ReplicationInput } from './case-studies.input.js';

export { EVIDENCE_CRITERIA, REPLICATION_RULES };

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

const LINK_PATHS: Record<LinkKind, (link: LinkRow) => string | null> = {
  component: (link) => `/components/${link.reference}`,
  standard: (link) => `/standards/${link.reference}`,
  challenge: (link) => `/challenges/${link.reference}`,
  supplier: (link) => `/search?q=${encodeURIComponent(link.label)}&type=supplier`,
  agreement: () => null,
};

export type CaseStudyDetail = ReturnType<typeof presentDetail>;
export type CaseStudySummary = ReturnType<typeof presentSummary>;

function presentOutcome(row: OutcomeRow) {
  return {
    metric: row.metric,
    baseline: row.baseline,
    result: row.result,
    period: row.period,
    method: row.method,
    methodLabel: METHOD_LABELS[row.method],
  };
}

function evidenceOf(row: CaseStudyRow, replications: readonly ReplicationRow[], outcomes: readonly OutcomeRow[]) {
  return effectiveEvidenceLevel(
    row.status === 'published' ? row.confirmed_level : null,
    row.organisation_id,
    replications.map((replication) => ({
      organisationId: replication.organisation_id,
      independentlyEvaluated: replication.independently_evaluated,
      outcomes: outcomes.filter((outcome) => outcome.replication_id === replication.id),
    })),
  );
}

function presentSummary(
  row: CaseStudyRow,
  organisation: OrganisationFacts | undefined,
  evidenceLevel: number | null,
  serviceAreaLabel: string,
) {
  return {
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    status: row.status,
    statusLabel: STATUS_LABELS[row.status],
    organisation: { name: organisation?.name ?? 'Unknown', code: organisation?.gssCode ?? organisation?.slug ?? '' },
    serviceArea: row.service_area,
    serviceAreaLabel,
    region: row.region,
    councilType: row.council_type,
    claimedLevel: row.claimed_level,
    evidenceLevel,
    publishedAt: row.published_at?.toISOString() ?? null,
    updatedAt: row.updated_at.toISOString(),
    url: `/case-studies/${row.slug}`,
  };
}

function presentDetail(
  row: CaseStudyRow,
  related: { organisations: Map<number, OrganisationFacts>; outcomes: OutcomeRow[]; links: LinkRow[]; replications: ReplicationRow[] },
  serviceAreaLabel: string,
) {
  // The related rows may cover several case studies: keep this one's.
  related = {
    organisations: related.organisations,
    outcomes: related.outcomes.filter((outcome) => outcome.case_study_id === row.id),
    links: related.links.filter((link) => link.case_study_id === row.id),
    replications: related.replications.filter((replication) => replication.case_study_id === row.id),
  };
  const evidenceLevel = evidenceOf(row, related.replications, related.outcomes);
  const linksOf = (kind: LinkKind) =>
    related.links
      .filter((link) => link.kind === kind)
      .map((link) => ({ reference: link.reference, pointNumber: link.point_number, label: link.label, url: LINK_PATHS[kind](link) }));
  return {
    ...presentSummary(row, related.organisations.get(row.organisation_id), evidenceLevel, serviceAreaLabel),
    problem: row.problem,
    whatWeDid: row.what_we_did,
    context: {
      councilType: row.council_type,
      councilTypeName: related.organisations.get(row.organisation_id)?.councilTypeName ?? null,
      region: row.region,
      population: row.population,
    },
    cost: {
      oneOffBand: row.cost_one_off_band,
      oneOffBandLabel: COST_BAND_LABELS[row.cost_one_off_band],
      yearlyBand: row.cost_yearly_band,
      yearlyBandLabel: COST_BAND_LABELS[row.cost_yearly_band],
      oneOffPounds: row.cost_one_off_pounds,
      yearlyPounds: row.cost_yearly_pounds,
    },
    outcomes: related.outcomes.filter((outcome) => outcome.replication_id === null).map(presentOutcome),
    lessons: row.lessons,
    doDifferently: row.do_differently,
    evidence: {
      claimedLevel: row.claimed_level,
      claimJustification: row.claim_justification,
      confirmedLevel: row.status === 'published' ? row.confirmed_level : null,
      evidenceLevel,
      reviewerOrganisation: row.reviewer_organisation_id ? (related.organisations.get(row.reviewer_organisation_id)?.name ?? null) : null,
      reviewNote: row.review_note,
      reviewedAt: row.reviewed_at?.toISOString() ?? null,
      criteria: EVIDENCE_LEVELS.map((level) => ({ level, ...EVIDENCE_CRITERIA[level] })),
      replicationRules: [...REPLICATION_RULES],
    },
    links: {
      components: linksOf('component'),
      standards: linksOf('standard'),
      challenges: linksOf('challenge'),
      suppliers: linksOf('supplier'),
      agreements: linksOf('agreement'),
    },
    replications: related.replications.map((replication) => ({
      organisation: related.organisations.get(replication.organisation_id)?.name ?? 'Unknown',
      summary: replication.summary,
      differences: replication.differences,
      independentlyEvaluated: replication.independently_evaluated,
      evaluationUrl: replication.evaluation_url || null,
      outcomes: related.outcomes.filter((outcome) => outcome.replication_id === replication.id).map(presentOutcome),
      recordedAt: replication.created_at.toISOString(),
    })),
    contact: row.contact_consent && row.contact_email ? { name: row.contact_name, email: row.contact_email } : null,
    sources: row.sources,
    organisationId: row.organisation_id,
  };
}

function slugify(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80)
      .replace(/-+$/g, '') || 'case-study'
  );
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

/**
 * Case studies: writing one (with outcomes and links checked against the other modules), submitting it for review,
 * the review that confirms its evidence level, replications, and reading them (pages, API, search, links).
 */
export function createCaseStudiesService({
  knowledgeRepository,
  transaction,
  lookups,
  clock,
  onChanged = () => Promise.resolve(),
}: {
  knowledgeRepository: KnowledgeRepository;
  transaction: KnowledgeTransaction;
  lookups: KnowledgeLookups;
  clock: Clock;
  /** Told after every change (the search index refreshes case studies from here). */
  onChanged?: () => Promise<void>;
}) {
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
    for (const name of input.suppliers) links.push({ kind: 'supplier', reference: slugify(name), pointNumber: null, label: name });
    for (const name of input.agreements) links.push({ kind: 'agreement', reference: slugify(name), pointNumber: null, label: name });
    return { links, problems };
  }

  async function uniqueSlug(title: string): Promise<string> {
    const base = slugify(title);
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

  return {
    /** Published case studies (and the viewer's own council's unpublished ones), filtered and paged. */
    async listCaseStudies(query: CaseStudyQuery, actor: Actor | null = null) {
      const filter = {
        statuses: ['published'] as const,
        serviceArea: query.serviceArea,
        minimumLevel: query.minimumLevel,
        organisationId: query.organisationId,
        includeDraftsOf: actor?.organisationId ?? null,
        sort: query.sort ?? 'newest',
        limit: query.pageSize,
        offset: (query.page - 1) * query.pageSize,
      };
      const [rows, total] = await Promise.all([knowledgeRepository.listCaseStudies(filter), knowledgeRepository.countCaseStudies(filter)]);
      const related = await loadRelated(rows);
      return {
        total,
        items: rows.map((row) =>
          presentSummary(
            row,
            related.organisations.get(row.organisation_id),
            evidenceOf(
              row,
              related.replications.filter((replication) => replication.case_study_id === row.id),
              related.outcomes,
            ),
            lookups.serviceAreaLabel(row.service_area),
          ),
        ),
      };
    },

    /** Case studies waiting for a review the person may give. */
    async listReviewQueue(actor: Actor) {
      const rows = await knowledgeRepository.listCaseStudies({ statuses: ['submitted'], sort: 'newest', limit: 200, offset: 0 });
      const mine = rows.filter((row) => knowledgePolicy.canReviewCaseStudy(actor, row.organisation_id));
      const related = await loadRelated(mine);
      return mine.map((row) =>
        presentSummary(row, related.organisations.get(row.organisation_id), null, lookups.serviceAreaLabel(row.service_area)),
      );
    },

    /** One case study with its outcomes, links, replications and evidence, if the person may see it. */
    async getCaseStudy(slug: string, actor: Actor | null): Promise<CaseStudyDetail> {
      const row = await requireCaseStudy(slug);
      requireVisible(row, actor);
      return present(row);
    },

    /** The form's values for an unpublished case study the person may edit. */
    async getCaseStudyForEditing(slug: string, actor: Actor) {
      const row = await requireCaseStudy(slug);
      if (!knowledgePolicy.canEditCaseStudy(actor, row.organisation_id))
        throw new NotAllowedError('Only the council that wrote this case study can change it');
      if (row.status === 'published')
        throw new ConflictError('This case study is published; record new results as a replication or ask the institute to reopen it');
      return present(row);
    },

    /** Writes a case study as a draft (or straight to review, when asked) for the person's council. */
    async createCaseStudy(actor: Actor, raw: Record<string, unknown>, submit: boolean): Promise<string> {
      if (!knowledgePolicy.canWriteCaseStudy(actor) || actor.organisationId === null)
        throw new NotAllowedError('Only council members can write case studies');
      const { input, links } = await checkInput(raw);
      const [organisation] = await lookups.listOrganisationsByIds([actor.organisationId]);
      const now = clock();
      // Chosen before the transaction: PGlite has one connection, so nothing inside may use another handle.
      const candidateSlug = await uniqueSlug(input.title);
      const slug = await transaction(async (repository, trx) => {
        const row = await repository.insertCaseStudy({
          slug: candidateSlug,
          ...rowValues(input),
          organisation_id: actor.organisationId ?? 0,
          council_type: organisation?.councilType ?? null,
          region: organisation?.region ?? null,
          population: organisation?.population ?? null,
          status: submit ? 'submitted' : 'draft',
          created_by: actor.userId,
          created_at: now,
          updated_at: now,
        });
        await repository.replaceOutcomes(row.id, null, input.outcomes);
        await repository.replaceLinks(row.id, links);
        await recordAuditEvent(trx, actor, {
          action: 'case-study.created',
          subjectType: 'case-study',
          subjectId: row.slug,
          organisationId: row.organisation_id,
          before: null,
          after: { title: row.title, status: row.status, claimedLevel: row.claimed_level },
        });
        return row.slug;
      });
      await onChanged();
      return slug;
    },

    /** Changes an unpublished case study; submitting sends it for review. */
    async updateCaseStudy(actor: Actor, slug: string, raw: Record<string, unknown>, submit: boolean): Promise<void> {
      const existing = await requireCaseStudy(slug);
      if (!knowledgePolicy.canEditCaseStudy(actor, existing.organisation_id))
        throw new NotAllowedError('Only the council that wrote this case study can change it');
      if (existing.status === 'published') throw new ConflictError('This case study is published and can no longer be changed here');
      const { input, links } = await checkInput(raw);
      await transaction(async (repository, trx) => {
        const row = await repository.updateCaseStudy(existing.id, {
          ...rowValues(input),
          status: submit ? 'submitted' : existing.status === 'returned' ? 'returned' : 'draft',
          updated_at: clock(),
        });
        await repository.replaceOutcomes(row.id, null, input.outcomes);
        await repository.replaceLinks(row.id, links);
        await recordAuditEvent(trx, actor, {
          action: submit ? 'case-study.submitted' : 'case-study.updated',
          subjectType: 'case-study',
          subjectId: row.slug,
          organisationId: row.organisation_id,
          before: { title: existing.title, status: existing.status, claimedLevel: existing.claimed_level },
          after: { title: row.title, status: row.status, claimedLevel: row.claimed_level },
        });
      });
      await onChanged();
    },

    /**
     * A reviewer from another organisation or the institute confirms a level (at most the claimed one) and publishes,
     * or returns the case study with what to change.
     */
    async reviewCaseStudy(
      actor: Actor,
      slug: string,
      decision: { outcome: 'confirm' | 'return'; confirmedLevel?: number; note: string },
    ): Promise<void> {
      const row = await requireCaseStudy(slug);
      if (!knowledgePolicy.canReviewCaseStudy(actor, row.organisation_id))
        throw new NotAllowedError('A case study is reviewed by someone from another council or the institute');
      if (row.status !== 'submitted') throw new ConflictError('This case study is not waiting for a review');
      const note = decision.note.trim();
      if (decision.outcome === 'return' && note === '')
        throw new InputError('Say what the authors should change', [
          { field: 'note', message: 'Say what the authors should change before it can be published' },
        ]);
      const level = decision.confirmedLevel;
      if (decision.outcome === 'confirm' && (level === undefined || !Number.isInteger(level) || level < 1 || level > row.claimed_level))
        throw new InputError('Choose the level the evidence supports', [
          { field: 'confirmedLevel', message: `Choose a level from 1 to ${row.claimed_level} (the level the authors claimed)` },
        ]);
      if (decision.outcome === 'confirm' && level !== undefined && level < row.claimed_level && note === '')
        throw new InputError('Say why the level is lower than claimed', [
          { field: 'note', message: 'Say why the evidence supports a lower level than claimed' },
        ]);
      const now = clock();
      await transaction(async (repository, trx) => {
        await repository.updateCaseStudy(row.id, {
          status: decision.outcome === 'confirm' ? 'published' : 'returned',
          confirmed_level: decision.outcome === 'confirm' ? (level ?? null) : null,
          reviewer_id: actor.userId,
          reviewer_organisation_id: actor.organisationId,
          review_note: note,
          reviewed_at: now,
          published_at: decision.outcome === 'confirm' ? now : null,
          updated_at: now,
        });
        await recordAuditEvent(trx, actor, {
          action: decision.outcome === 'confirm' ? 'case-study.published' : 'case-study.returned',
          subjectType: 'case-study',
          subjectId: row.slug,
          organisationId: row.organisation_id,
          before: { status: row.status },
          after: { status: decision.outcome === 'confirm' ? 'published' : 'returned', confirmedLevel: level ?? null, note },
        });
      });
      await onChanged();
    },

    /** Another council records "we did this too" with its own outcomes; the evidence rules decide whether the level rises. */
    async recordReplication(actor: Actor, slug: string, raw: Record<string, unknown>): Promise<void> {
      const row = await requireCaseStudy(slug);
      if (row.status !== 'published') throw new NotFoundError(`No case study is called ${slug}`);
      if (!knowledgePolicy.canReplicate(actor, row.organisation_id) || actor.organisationId === null)
        throw new NotAllowedError('Another council’s members record that they did this too');
      const { problems, ...input }: ReplicationInput & { problems: unknown[] } = parseReplicationInput(raw);
      if (problems.length > 0)
        throw new InputError('There is a problem with what you did', problems as { field: string; message: string }[]);
      if (await knowledgeRepository.replicationExists(row.id, actor.organisationId))
        throw new ConflictError('Your council has already recorded that it did this too');
      await transaction(async (repository, trx) => {
        const replication = await repository.insertReplication({
          case_study_id: row.id,
          organisation_id: actor.organisationId ?? 0,
          summary: input.summary,
          differences: input.differences,
          independently_evaluated: input.independentlyEvaluated,
          evaluation_url: input.evaluationUrl,
          created_by: actor.userId,
        });
        await repository.replaceOutcomes(row.id, replication.id, input.outcomes);
        await repository.updateCaseStudy(row.id, { updated_at: clock() });
        await recordAuditEvent(trx, actor, {
          action: 'case-study.replicated',
          subjectType: 'case-study',
          subjectId: row.slug,
          organisationId: actor.organisationId,
          before: null,
          after: { summary: input.summary, outcomes: input.outcomes.length, independentlyEvaluated: input.independentlyEvaluated },
        });
      });
      await onChanged();
    },

    /**
     * Loads one demo case study as the system (no person acts): written, then reviewed by the given organisation at the
     * given level, with replications. Skipped when a case study with the same title's address already exists.
     */
    async seedCaseStudy(input: {
      organisationId: number;
      raw: Record<string, unknown>;
      review: { organisationId: number; confirmedLevel: number; note: string } | null;
      replications?: { organisationId: number; raw: Record<string, unknown> }[];
    }): Promise<string | null> {
      const { input: parsed, links } = await checkInput(input.raw);
      const slug = slugify(parsed.title);
      if (await knowledgeRepository.slugExists(slug)) return null;
      const [organisation] = await lookups.listOrganisationsByIds([input.organisationId]);
      const now = clock();
      await transaction(async (repository, trx) => {
        const row = await repository.insertCaseStudy({
          slug,
          ...rowValues(parsed),
          organisation_id: input.organisationId,
          council_type: organisation?.councilType ?? null,
          region: organisation?.region ?? null,
          population: organisation?.population ?? null,
          status: input.review ? 'published' : 'submitted',
          confirmed_level: input.review?.confirmedLevel ?? null,
          reviewer_organisation_id: input.review?.organisationId ?? null,
          review_note: input.review?.note ?? '',
          reviewed_at: input.review ? now : null,
          published_at: input.review ? now : null,
          created_by: null,
          created_at: now,
          updated_at: now,
        });
        await repository.replaceOutcomes(row.id, null, parsed.outcomes);
        await repository.replaceLinks(row.id, links);
        for (const replication of input.replications ?? []) {
          const { problems, ...values } = parseReplicationInput(replication.raw);
          if (problems.length > 0) throw new InputError('A demo replication is not valid', problems);
          const saved = await repository.insertReplication({
            case_study_id: row.id,
            organisation_id: replication.organisationId,
            summary: values.summary,
            differences: values.differences,
            independently_evaluated: values.independentlyEvaluated,
            evaluation_url: values.evaluationUrl,
            created_by: null,
          });
          await repository.replaceOutcomes(row.id, saved.id, values.outcomes);
        }
        await recordAuditEvent(trx, null, {
          action: 'case-study.seeded',
          subjectType: 'case-study',
          subjectId: slug,
          organisationId: input.organisationId,
          before: null,
          after: { title: parsed.title, confirmedLevel: input.review?.confirmedLevel ?? null },
        });
      });
      await onChanged();
      return slug;
    },

    /** Published case studies linked to a record of another module (a component's slug, a standard's, a challenge's number). */
    async listCaseStudiesLinkedTo(kind: LinkKind, reference: string) {
      const rows = await knowledgeRepository.listPublishedLinkedTo(kind, reference);
      const related = await loadRelated(rows);
      return rows.map((row) => ({
        ...presentSummary(
          row,
          related.organisations.get(row.organisation_id),
          evidenceOf(
            row,
            related.replications.filter((replication) => replication.case_study_id === row.id),
            related.outcomes,
          ),
          lookups.serviceAreaLabel(row.service_area),
        ),
        pointNumber: row.point_number,
      }));
    },

    /** The best evidence level among published case studies linked to each record of a kind. */
    listBestLevels: (kind: LinkKind) => knowledgeRepository.listBestLevelByReference(kind),

    /** Case studies as search documents: published ones for everyone, unpublished ones for their council. */
    async listSearchDocuments(changedSince?: Date): Promise<SearchDocumentInput[]> {
      const rows = await knowledgeRepository.listCaseStudiesChangedSince(changedSince);
      const related = await loadRelated(rows);
      return rows.map((row) => {
        const detail = presentDetail(
          row,
          { ...related, replications: related.replications.filter((replication) => replication.case_study_id === row.id) },
          lookups.serviceAreaLabel(row.service_area),
        );
        const links = related.links.filter((link) => link.case_study_id === row.id);
        return {
          type: 'case-study',
          key: row.slug,
          title: row.title,
          body: [
            row.summary,
            row.problem,
            row.what_we_did,
            ...detail.outcomes.map((outcome) => `${outcome.metric}: ${outcome.baseline} to ${outcome.result}`),
            row.lessons,
            `By ${detail.organisation.name}.`,
            ...detail.replications.map((replication) => `Also done by ${replication.organisation}: ${replication.summary}`),
            ...links.map((link) => link.label),
          ]
            .filter(Boolean)
            .join('\n'),
          url: detail.url,
          serviceArea: row.service_area,
          region: row.region,
          councilType: row.council_type,
          evidenceLevel: detail.evidenceLevel,
          visibility: row.status === 'published' ? ('public' as const) : ('organisation' as const),
          ownerOrganisationId: row.organisation_id,
          topics: [
            `service-area:${row.service_area}`,
            ...(row.region ? [`region:${row.region}`] : []),
            ...links.filter((link) => link.kind !== 'agreement').map((link) => `${link.kind}:${link.reference}`),
          ],
          updatedAt: row.updated_at,
        };
      });
    },
  };
}

export type CaseStudiesService = ReturnType<typeof createCaseStudiesService>;

export { COST_BANDS, MEASUREMENT_METHODS, type CostBand, type MeasurementMethod, type OutcomeInput };
