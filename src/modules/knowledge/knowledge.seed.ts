import type { SearchDocumentInput } from '../../platform/search.js';
import type { CaseStudiesService } from './case-studies.service.js';
import { DEMO_CASE_STUDIES } from './knowledge.demo.js';

/** What the demo loader needs from the other modules, asked through their services. */
export interface KnowledgeSeedServices {
  caseStudiesService: CaseStudiesService;
  organisationsService: { getOrganisation(code: string): Promise<{ id: number }> };
  catalogueService: { listSearchDocuments(): Promise<SearchDocumentInput[]> };
  challengesService: { listSearchDocuments(): Promise<SearchDocumentInput[]> };
  searchService: { refreshSearchIndex(options?: { full?: boolean }): Promise<void> };
}

/** Loads the demo case studies (see knowledge.demo.ts and SOURCES.md), then builds the search index. Safe to run again. */
export async function seedKnowledgeDemo(services: KnowledgeSeedServices): Promise<number> {
  const components = new Map((await services.catalogueService.listSearchDocuments()).map((document) => [document.title, document.key]));
  const challenges = new Map((await services.challengesService.listSearchDocuments()).map((document) => [document.title, document.key]));
  const institute = await services.organisationsService.getOrganisation('local-digital-commons-institute-demo');
  let added = 0;
  for (const demo of DEMO_CASE_STUDIES) {
    const organisation = await services.organisationsService.getOrganisation(demo.council);
    const reviewer = demo.review
      ? await services.organisationsService.getOrganisation(demo.review.by ?? 'local-digital-commons-institute-demo')
      : institute;
    const replications = [];
    for (const replication of demo.replications ?? [])
      replications.push({
        organisationId: (await services.organisationsService.getOrganisation(replication.council)).id,
        raw: replication.raw,
      });
    const slug = await services.caseStudiesService.seedCaseStudy({
      organisationId: organisation.id,
      raw: {
        ...demo.raw,
        components: (demo.components ?? []).flatMap((name) => components.get(name) ?? []),
        challenges: (demo.challenges ?? []).flatMap((title) => challenges.get(title) ?? []),
      },
      review: demo.review ? { organisationId: reviewer.id, confirmedLevel: demo.review.level, note: demo.review.note } : null,
      replications,
    });
    if (slug) added += 1;
  }
  await services.searchService.refreshSearchIndex({ full: true });
  return added;
}
