import { createActionsService } from './actions.service.js';
import { createAdoptionService } from './adoption.service.js';
import { createAssessmentsService } from './assessments.service.js';
import { createAuthoringService } from './authoring.service.js';
import { createReviewsService } from './reviews.service.js';
import { createStandardsCore, type StandardsDependencies } from './standards.core.js';
import { createStandardsDemoWriters } from './standards.seed.js';

/** Standards and their versions, consultation comments, assessments (self, peer, audit), actions, and measuring adoption. */
export function createStandardsService(deps: StandardsDependencies) {
  const core = createStandardsCore(deps);
  return {
    ...createAuthoringService(deps, core),
    ...createAssessmentsService(deps, core),
    ...createReviewsService(deps, core),
    ...createActionsService(deps, core),
    ...createAdoptionService(deps, core),
    ...createStandardsDemoWriters(deps, core),
  };
}

export type StandardsService = ReturnType<typeof createStandardsService>;
