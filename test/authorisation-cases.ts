import { identityAuthorisationCases } from './authorisation/identity.js';
import { standardsAuthorisationCases } from './authorisation/standards.js';
import { challengesAuthorisationCases } from './authorisation/challenges.js';
import { spendAuthorisationCases } from './authorisation/spend.js';
import { catalogueAuthorisationCases } from './authorisation/catalogue.js';
import { contractsAuthorisationCases } from './authorisation/contracts.js';
import { dataSharingAuthorisationCases } from './authorisation/data-sharing.js';
import { workforceAuthorisationCases } from './authorisation/workforce.js';
import { knowledgeAuthorisationCases } from './authorisation/knowledge.js';
import { progressAuthorisationCases } from './authorisation/progress.js';
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
  ...contractsAuthorisationCases,
  ...dataSharingAuthorisationCases,
  ...workforceAuthorisationCases,
  ...knowledgeAuthorisationCases,
  ...progressAuthorisationCases,
];
