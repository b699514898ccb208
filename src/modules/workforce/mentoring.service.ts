import { createMentoringPairingsService } from './mentoring-pairings.service.js';
import { createMentoringRoundsService } from './mentoring-rounds.service.js';
import type { MentoringDependencies } from './mentoring.core.js';

export {
  buildPreferences,
  COMPLETED_PAIRING_DAYS,
  explainPairing,
  MAX_CHOICES,
  type Preferences,
  type SignUpInput,
} from './mentoring.core.js';

/**
 * The mentoring scheme: rounds, sign-up and stable matching (mentoring-rounds.service.ts); pairings, check-ins,
 * endings and feedback (mentoring-pairings.service.ts).
 */
export function createMentoringService(dependencies: MentoringDependencies) {
  return { ...createMentoringRoundsService(dependencies), ...createMentoringPairingsService(dependencies) };
}

export type MentoringService = ReturnType<typeof createMentoringService>;
