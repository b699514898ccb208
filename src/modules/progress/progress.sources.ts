/**
 * What the progress module asks of the other modules. Each function is wired in `src/app/services.ts` to the owning
 * module's service, so this module never reads another module's tables. A function answers null when its data does
 * not exist yet (the target is then "not yet measured").
 */
import type { CouncilFact, ProgressFacts } from './progress.targets.js';

export interface CentreFact {
  id: number;
  slug: string;
  name: string;
  region: string | null;
  memberIds: number[];
}

export interface AgreementFact {
  slug: string;
  title: string;
  status: string;
  /** Parties by GSS code (or register code). */
  partyCodes: string[];
  reviewDate: string;
  reviewOverdue: boolean;
  url: string;
}

export interface CaseStudyFact {
  slug: string;
  title: string;
  organisationCode: string | null;
  url: string;
}

export interface WorkItem {
  kind: 'peer-review' | 'audit' | 'agreement-review' | 'stale-adoption' | 'unanswered-challenge';
  title: string;
  detail: string;
  href: string;
  since: string | null;
}

export interface ProgressSources {
  listCouncils(onDate: string): Promise<CouncilFact[]>;
  listCentres(): Promise<CentreFact[]>;
  listStandards(onDate: string): Promise<ProgressFacts['standards']>;
  listAdoptions(): Promise<(ProgressFacts['adoptions'][number] & { confirmedAt: string })[]>;
  listChallenges(): Promise<(ProgressFacts['challenges'][number] & { createdAt: string })[]>;
  measureSmeSpend(): Promise<ProgressFacts['smeSpend']>;
  countLiveExchanges(): Promise<ProgressFacts['exchanges']>;
  measureWorkforce(): Promise<ProgressFacts['workforce']>;
  countMentoring(): Promise<ProgressFacts['mentoring']>;
  listAgreements(): Promise<AgreementFact[]>;
  listCaseStudies(): Promise<CaseStudyFact[]>;
  /** Total imported spend of each council with spend (from the spend module's roll-ups). */
  listSpendTotals(): Promise<{ organisationId: number; totalPence: number }[]>;
  /** Standards work waiting for someone: peer reviews without a reviewer's decision, audits due. */
  listStandardsWork(): Promise<WorkItem[]>;
}
