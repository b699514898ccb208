/** Plain shapes read from Open Contracting Data Standard (OCDS) JSON, ready for the contracts importer. */

/** The shapes of OCDS data the reader recognises (a file may hold several, as a list or as JSON Lines). */
export type OcdsShape = 'release-package' | 'record-package' | 'release' | 'compiled-release' | 'record' | 'versioned-release';

export interface OcdsReleaseSummary {
  ocid: string;
  releaseId: string | null;
  date: string | null;
  tags: string[];
  buyerName: string | null;
  title: string | null;
  awardCount: number;
  contractCount: number;
  /** JSON path of the release in the file, e.g. $.releases[0] or $.records[2].compiledRelease. */
  path: string;
}

export interface OrganisationIdentifier {
  scheme: string;
  id: string;
}

export interface ContractSupplier {
  name: string | null;
  /** e.g. "GB-COH" for Companies House; null when the publisher left it empty. */
  scheme: string | null;
  /** e.g. a company number; null when the publisher left it empty. */
  id: string | null;
  /** OCDS partyScale from the organisation's `details.scale` (micro, sme, large, selfEmployed); null when not given. */
  scale: 'micro' | 'sme' | 'large' | 'selfEmployed' | null;
}

/** Which part of the release a draft was made from: a signed contract, an award, or (before any award) the tender. */
export type ContractDraftSource = 'contract' | 'award' | 'tender';

export interface ContractDraft {
  /**
   * Stable across re-imports and later releases of the same process, so the importer can upsert:
   * "<ocid>/contract/<id>", "<ocid>/award/<id>" or "<ocid>/tender".
   */
  identityKey: string;
  source: ContractDraftSource;
  ocid: string;
  releaseId: string | null;
  releaseDate: string | null;
  awardId: string | null;
  contractId: string | null;
  title: string | null;
  description: string | null;
  buyerName: string | null;
  buyerIdentifier: OrganisationIdentifier | null;
  suppliers: ContractSupplier[];
  valuePence: number | null;
  /** Tenders often state only a minimum (Contracts Finder's minValue); kept apart so it is never mistaken for the value. */
  minimumValuePence: number | null;
  currency: string | null;
  startDate: string | null;
  endDate: string | null;
  status: string | null;
  sourceUrl: string | null;
  cpvCodes: string[];
}

/**
 * Problems grouped as the OCDS Data Review Tool groups them: one message, and every JSON path where it occurs
 * (such as $.releases[3].tender.value.amount; "$" is the whole file). Only the first paths are kept; `count` tells all.
 */
export interface OcdsIssue {
  message: string;
  paths: string[];
  count: number;
  /** For a fault in the JSON text itself. */
  line?: number;
  column?: number;
}

/** A whole file read at once: its contracts, or its errors (with the warnings either way). */
export type OcdsParseResult =
  | {
      ok: true;
      shapes: OcdsShape[];
      layout: 'single' | 'list' | 'sequence';
      releases: OcdsReleaseSummary[];
      contracts: ContractDraft[];
      warnings: OcdsIssue[];
      errors: OcdsIssue[];
    }
  | { ok: false; shapes: OcdsShape[]; layout: 'single' | 'list' | 'sequence'; errors: OcdsIssue[]; warnings: OcdsIssue[] };
