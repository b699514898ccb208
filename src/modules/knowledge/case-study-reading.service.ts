import type { Actor } from '../../platform/actor.js';
import { ConflictError, NotAllowedError } from '../../platform/errors.js';
import type { SearchDocumentInput } from '../../platform/search.js';
import type { CaseStudiesCore, CaseStudiesDependencies, CaseStudyQuery } from './case-studies.core.js';
import { type CaseStudyDetail, evidenceOf, presentDetail, presentSummary } from './case-studies.records.js';
import { knowledgePolicy } from './knowledge.policy.js';
import type { LinkKind } from './knowledge.tables.js';

/** Reading case studies: pages of them, the review queue, one case study, those linked to another module’s record, and their search documents. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createCaseStudyReadingService(
  { knowledgeRepository, lookups }: CaseStudiesDependencies,
  { loadRelated, present, requireCaseStudy, requireVisible }: CaseStudiesCore,
) {
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
