export { parseOcds } from './ocds-parser.js';
export type {
  ContractDraft,
  ContractDraftSource,
  ContractSupplier,
  OcdsIssue,
  OcdsPackageKind,
  OcdsParseResult,
  OcdsReleaseSummary,
  OrganisationIdentifier,
} from './ocds-types.js';
