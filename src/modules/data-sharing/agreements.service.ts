/**
 * The register of data-sharing agreements: recording and changing them (every change a numbered version with
 * what changed), the lifecycle draft → agreed → active → under review → ended, the lawful-basis rules of
 * UK GDPR and the DPA 2018, DPIA warnings, review reminders, and each council's flows.
 */
import { createAgreementRecordsService } from './agreement-records.service.js';
import { createAgreementRegisterService } from './agreement-register.service.js';
import { createAgreementReviewsService } from './agreement-reviews.service.js';
import { type AgreementsDependencies, createAgreementsCore } from './agreements.core.js';

export type { AgreementInput, AgreementParty, PublicAgreement } from './agreements.types.js';

export function createAgreementsService(dependencies: AgreementsDependencies) {
  const core = createAgreementsCore(dependencies);
  return {
    ...createAgreementRecordsService(dependencies, core),
    ...createAgreementRegisterService(dependencies, core),
    ...createAgreementReviewsService(dependencies, core),
  };
}

export type AgreementsService = ReturnType<typeof createAgreementsService>;
