import { createAuthoringService } from './authoring.service.js';
import { type ChallengesDependencies, createChallengesCore } from './challenges.core.js';
import { createChallengesDemoWriters } from './challenges.seed.js';
import { createCollaborationsService } from './collaborations.service.js';
import { createListingService } from './listing.service.js';
import { createResponsesService } from './responses.service.js';
import { createSharingService } from './sharing.service.js';

export type { ChallengeInput, ChallengeQuery, ChallengeSummary, ShareInput } from './challenges.types.js';

/** The challenge pipeline: posting, sharing, similar-challenge search, responses, collaborations and keep-alive reminders. */
export function createChallengesService(deps: ChallengesDependencies) {
  const core = createChallengesCore(deps);
  return {
    ...createListingService(deps, core),
    ...createAuthoringService(deps, core),
    ...createSharingService(deps, core),
    ...createResponsesService(deps, core),
    ...createCollaborationsService(deps, core),
    ...createChallengesDemoWriters(deps, core),
  };
}

export type ChallengesService = ReturnType<typeof createChallengesService>;
