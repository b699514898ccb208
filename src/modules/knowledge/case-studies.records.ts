/** How case studies are shown: outcomes, summaries, details and their evidence level (pure functions). */
import { slugify } from '../../platform/slug.js';
import { EVIDENCE_CRITERIA, effectiveEvidenceLevel, REPLICATION_RULES } from './evidence.js';
import { COST_BAND_LABELS, METHOD_LABELS, STATUS_LABELS } from './knowledge.labels.js';
import type { CaseStudyRow, LinkRow, OutcomeRow, ReplicationRow } from './knowledge.repository.js';
import { EVIDENCE_LEVELS, type LinkKind } from './knowledge.tables.js';
import type { OrganisationFacts } from './case-studies.core.js';

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
export function evidenceOf(row: CaseStudyRow, replications: readonly ReplicationRow[], outcomes: readonly OutcomeRow[]) {
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
export function presentSummary(
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
export function presentDetail(
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
/** A case study's address from its title: the platform's rule, at most 80 characters. */
export function caseStudySlug(text: string): string {
  return slugify(text, { maxLength: 80, fallback: 'case-study' });
}
