import { createCaseStudiesCore, type CaseStudiesDependencies } from './case-studies.core.js';
import { createCaseStudyReadingService } from './case-study-reading.service.js';
import { createCaseStudyReviewsService } from './case-study-reviews.service.js';
import { createCaseStudyWritingService } from './case-study-writing.service.js';

export type { CaseStudiesDependencies, CaseStudyQuery, KnowledgeLookups, OrganisationFacts } from './case-studies.core.js';
export type { CaseStudyDetail, CaseStudySummary } from './case-studies.records.js';

/**
 * Case studies: writing one (with outcomes and links checked against the other modules), submitting it for review,
 * the review that confirms its evidence level, replications, and reading them (pages, API, search, links).
 */
export function createCaseStudiesService(dependencies: CaseStudiesDependencies) {
  const core = createCaseStudiesCore(dependencies);
  return {
    ...createCaseStudyReadingService(dependencies, core),
    ...createCaseStudyWritingService(dependencies, core),
    ...createCaseStudyReviewsService(dependencies, core),
  };
}

export type CaseStudiesService = ReturnType<typeof createCaseStudiesService>;
