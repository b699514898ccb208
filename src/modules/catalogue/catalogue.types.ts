/** The catalogue's shapes as its services give them: components, declarations, summaries, import outcomes and credits. */
import type { ComponentFilter, ComponentRow, ComponentSort } from './catalogue.repository.js';
import type { AdoptionStatus, ComponentAttachment, ComponentHosting, CostModel, ComponentKind, EvidenceKind } from './catalogue.tables.js';
import type { CreditKey } from './catalogue.labels.js';
import type { ComponentMaintainer, DevelopmentStatus, PubliccodeIssue } from './publiccode/index.js';

export interface Component {
  id: number;
  slug: string;
  name: string;
  kind: ComponentKind;
  summary: string;
  description: string;
  problem: string | null;
  serviceAreas: string[];
  licence: string | null;
  codeRepositoryUrl: string | null;
  documentationUrl: string | null;
  apiDocumentationUrl: string | null;
  landingUrl: string | null;
  developmentStatus: DevelopmentStatus | null;
  hostingOptions: ComponentHosting[];
  costModel: CostModel | null;
  supportedStandards: string[];
  relatedSlugs: string[];
  maintainers: ComponentMaintainer[];
  funding: string | null;
  releaseDate: string | null;
  softwareVersion: string | null;
  logoUrl: string | null;
  features: string[];
  platforms: string[];
  usedBy: string[];
  attachments: ComponentAttachment[];
  publiccodeVersion: string | null;
  source: ComponentRow['source'];
  publisherOrganisationId: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface ComponentSummary extends Component {
  adoption: { using: number; councils: number };
}

export interface ComponentQuery extends ComponentFilter {
  page: number;
  pageSize: number;
  sort?: ComponentSort | undefined;
}

/** What a form or the API sends to create or change a component; strings as typed, lists already split. */
export interface ComponentInput {
  name: string;
  kind: string;
  summary: string;
  description: string;
  problem: string;
  serviceAreas: string[];
  licence: string;
  codeRepositoryUrl: string;
  documentationUrl: string;
  developmentStatus: string;
  hostingOptions: string[];
  costModel: string;
  supportedStandards: string[];
  relatedSlugs: string[];
  maintainingOrganisations: string[];
  funding: string;
  releaseDate: string;
  softwareVersion: string;
  dpiaUrl: string;
  accessibilityStatementUrl: string;
  specificationUrl: string;
}

export interface AdoptionInput {
  status: string;
  since: string;
  evidenceKind: string;
  evidence: string;
  contactName: string;
  contactEmail: string;
  contactAgrees: boolean;
}

export type Freshness = AdoptionStatus | 'unconfirmed';

export interface Declaration {
  organisation: { id: number; name: string; slug: string; gssCode: string | null };
  status: AdoptionStatus;
  /** The status as counted: "unconfirmed" once the last confirmation is older than 12 months. */
  freshness: Freshness;
  since: string;
  evidenceKind: EvidenceKind;
  evidence: string;
  contactName: string | null;
  contactEmail: string | null;
  confirmedOn: string;
  /** False for former councils and organisations that are not English principal councils. */
  countsTowardsRegister: boolean;
}

export interface AdoptionBreakdownRow {
  key: string;
  label: string;
  councils: number;
  using: number;
  piloting: number;
  exploring: number;
}

export interface AdoptionSummary {
  councils: number;
  using: number;
  piloting: number;
  exploring: number;
  retired: number;
  unconfirmed: number;
  /** Declarations that do not count: former councils, and organisations that are not English principal councils. */
  notCounted: number;
  byRegion: AdoptionBreakdownRow[];
  byCouncilType: AdoptionBreakdownRow[];
  /** Freshness of each current council's declaration, by GSS code (for the hex map). */
  statusByGssCode: Map<string, Freshness>;
  /** County councils (not on the district hex map) with a declaration. */
  counties: { name: string; gssCode: string | null; freshness: Freshness }[];
}

export interface Stewardship {
  maintainingOrganisations: string[];
  funding: string | null;
  lastReleaseDate: string | null;
  releasedWithinYear: boolean | null;
  lastConfirmedOn: string | null;
  confirmedAdopters: number;
}

export interface PubliccodeImportOutcome {
  file: string;
  status: 'created' | 'updated' | 'rejected';
  slug: string | null;
  warnings: PubliccodeIssue[];
  errors: PubliccodeIssue[];
}

export interface ReuseCredits {
  organisation: { id: number; name: string; slug: string; gssCode: string | null };
  counts: Record<CreditKey, number>;
  total: number;
  published: { slug: string; name: string }[];
  adopted: { slug: string; name: string; status: AdoptionStatus; referent: boolean }[];
}
