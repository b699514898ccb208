export {
  DEFAULT_OCDS_LIMITS,
  type OcdsReadLimits,
  type OcdsReadOptions,
  type OcdsReadResult,
  parseOcds,
  readOcds,
  textChunks,
} from './ocds-reader.js';
export { describeIssue } from './ocds-issues.js';
export type {
  ContractDraft,
  ContractDraftSource,
  ContractSupplier,
  OcdsIssue,
  OcdsParseResult,
  OcdsReleaseSummary,
  OcdsShape,
  OrganisationIdentifier,
} from './ocds-types.js';
