import type { AgreementStatus, PartyRole } from './data-sharing.tables.js';

export interface AgreementInput {
  title: string;
  purpose: string;
  lawfulBasis: string;
  specialCategory: boolean;
  article9Condition: string;
  schedule1Condition: string;
  dataSubjects: string;
  dataItems: string;
  standardSlugs: string[];
  dpiaStatus: string;
  dpiaOutcome: string;
  dpiaTriggers: string[];
  retention: string;
  security: string;
  reviewDate: string;
  signedOffRole: string;
  signedOffByName: string;
  signedOffOn: string;
  contactName: string;
  contactEmail: string;
  /** Other parties: organisation code or slug and role; the lead organisation is a controller unless listed. */
  parties: { organisation: string; role: string }[];
  leadRole: string;
}

export interface AgreementParty {
  name: string;
  slug: string;
  code: string | null;
  kind: string;
  role: PartyRole;
}

/** An agreement as anyone may see it: nothing personal (no names or emails of officers). */
export interface PublicAgreement {
  slug: string;
  title: string;
  purpose: string;
  status: AgreementStatus;
  lead: { name: string; slug: string };
  parties: AgreementParty[];
  lawfulBasis: string;
  specialCategory: boolean;
  article9Condition: string | null;
  schedule1Condition: string | null;
  dataSubjects: string;
  dataItems: string;
  standardSlugs: string[];
  dpiaStatus: string;
  dpiaOutcome: string;
  dpiaTriggers: string[];
  dpiaWarnings: string[];
  retention: string;
  security: string;
  reviewDate: string;
  reviewOverdue: boolean;
  signedOffRole: string;
  signedOffOn: string | null;
  version: number;
  updatedAt: string;
  url: string;
}
