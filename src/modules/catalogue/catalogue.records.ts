/** Pure helpers over the catalogue's rows: dates, addresses, the shapes services return and what the audit trail keeps. */
import type { AdoptionRow, ComponentRow } from './catalogue.repository.js';
import type { Component } from './catalogue.types.js';
import { deriveComponentSlug } from './publiccode/index.js';

/** Calendar-month arithmetic, clamped to the month's last day: the platform's one helper. */
export { addMonths } from '../../platform/months.js';

/** Addresses that pages under /components already use; a component with such a name gets "-component" added. */
const RESERVED_SLUGS = new Set(['new', 'import', 'compare', 'reuse-credits']);

/** The address of a component from its name, never one of the catalogue's own pages. */
export function componentSlug(name: string): string {
  const slug = deriveComponentSlug(name);
  return RESERVED_SLUGS.has(slug) ? `${slug}-component` : slug;
}

export function presentComponent(row: ComponentRow): Component {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    kind: row.kind,
    summary: row.summary,
    description: row.description,
    problem: row.problem,
    serviceAreas: row.service_areas,
    licence: row.licence,
    codeRepositoryUrl: row.code_repository_url,
    documentationUrl: row.documentation_url,
    apiDocumentationUrl: row.api_documentation_url,
    landingUrl: row.landing_url,
    developmentStatus: row.development_status,
    hostingOptions: row.hosting_options,
    costModel: row.cost_model,
    supportedStandards: row.supported_standards,
    relatedSlugs: row.related_slugs,
    maintainers: row.maintainers,
    funding: row.funding,
    releaseDate: row.release_date,
    softwareVersion: row.software_version,
    logoUrl: row.logo_url,
    features: row.features,
    platforms: row.platforms,
    usedBy: row.used_by,
    attachments: row.attachments,
    publiccodeVersion: row.publiccode_version,
    source: row.source,
    publisherOrganisationId: row.publisher_organisation_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function auditSnapshot(row: ComponentRow) {
  return {
    slug: row.slug,
    name: row.name,
    kind: row.kind,
    summary: row.summary,
    licence: row.licence,
    developmentStatus: row.development_status,
    codeRepositoryUrl: row.code_repository_url,
    maintainers: row.maintainers.map((maintainer) => maintainer.name),
    publisherOrganisationId: row.publisher_organisation_id,
  };
}

export function adoptionSnapshot(row: AdoptionRow) {
  return {
    componentId: row.component_id,
    status: row.status,
    since: row.since,
    evidenceKind: row.evidence_kind,
    evidence: row.evidence,
    contactName: row.contact_name,
    contactEmail: row.contact_email,
    contactAgrees: row.contact_agrees,
    confirmedAt: row.confirmed_at.toISOString(),
  };
}
