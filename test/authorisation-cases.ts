import { identityAuthorisationCases } from '../src/modules/identity/identity.authorisation.js';
import { standardsAuthorisationCases } from '../src/modules/standards/standards.authorisation.js';
import { challengesAuthorisationCases } from '../src/modules/challenges/challenges.authorisation.js';
import { spendAuthorisationCases } from '../src/modules/spend/spend.authorisation.js';
import { catalogueAuthorisationCases } from '../src/modules/catalogue/catalogue.authorisation.js';
import { knowledgeAuthorisationCases } from '../src/modules/knowledge/knowledge.authorisation.js';
import type { AuthorisationCase } from './support/authorisation.js';

/**
 * Every module's authorisation cases. A module that adds a state-changing route adds its cases here
 * (one import line); the matrix test fails while any such route has none.
 */
export const AUTHORISATION_CASES: AuthorisationCase[] = [
  ...identityAuthorisationCases,
  ...standardsAuthorisationCases,
  ...challengesAuthorisationCases,
  ...spendAuthorisationCases,
  ...catalogueAuthorisationCases,
  ...knowledgeAuthorisationCases,
];
