import type { ChallengeSort } from './challenges.repository.js';
import { type BudgetBand, type ServiceArea, type Stage } from './challenges.tables.js';

/** A component of the catalogue, as the challenges pages show it. */
export interface ComponentReference {
  slug: string;
  name: string;
  href: string;
}

/** Finds a catalogue component by slug; wired in when the catalogue module offers it. */
export type ComponentLookup = (slug: string) => Promise<ComponentReference | null>;

export interface ChallengesSettings {
  publicBaseUrl: string;
}

/** What a council writes when it posts or edits a challenge; the form's fields, as text. */
export interface ChallengeInput {
  title: string;
  problem: string;
  affects?: string | undefined;
  serviceArea: string;
  workaround?: string | undefined;
  goodLooksLike?: string | undefined;
  constraints?: string | undefined;
  budgetBand?: string | undefined;
  timescale?: string | undefined;
  contractEndDate?: string | undefined;
  contactName?: string | undefined;
  contactEmail?: string | undefined;
  visibility?: string | undefined;
  /** The owning council's own scale (residents or cases affected). */
  scale?: string | number | undefined;
  scaleUnit?: string | undefined;
}

/** What a council says when it joins a challenge. */
export interface ShareInput {
  scale?: string | number | undefined;
  scaleUnit?: string | undefined;
  budgetBand?: string | undefined;
  timing?: string | undefined;
  comment?: string | undefined;
}

export interface ChallengeSummary {
  id: number;
  title: string;
  problem: string;
  serviceArea: ServiceArea;
  serviceAreaLabel: string;
  stage: Stage;
  stageLabel: string;
  budgetBand: BudgetBand;
  budgetBandLabel: string;
  visibility: 'public' | 'draft';
  owner: { name: string; code: string };
  sharedBy: number;
  combinedScale: number;
  /** Each unit's total over the sharing councils, largest first: unlike units are never added together. */
  scaleByUnit: { unit: string; total: number }[];
  createdAt: string;
  updatedAt: string;
  stale: boolean;
  url: string;
}

export interface Sharer {
  organisationId: number;
  name: string;
  code: string;
  tier: string | null;
  region: string | null;
  current: boolean;
  owner: boolean;
  scale: number | null;
  scaleUnit: string;
  budgetBand: BudgetBand;
  budgetBandLabel: string;
  timing: string;
  comment: string;
  joinedAt: string;
}

export interface Demand {
  /** Councils sharing the challenge, each counted once. */
  sharedBy: number;
  currentCouncils: number;
  formerCouncils: number;
  byTier: { tier: string; count: number }[];
  byRegion: { region: string; count: number }[];
  combinedScale: number;
  scaleByUnit: { unit: string; total: number }[];
}

export interface ChallengeQuery {
  q?: string | undefined;
  stage?: Stage | undefined;
  serviceArea?: ServiceArea | undefined;
  budgetBand?: BudgetBand | undefined;
  region?: string | undefined;
  tier?: string | undefined;
  minSharers?: number | undefined;
  staleOnly?: boolean | undefined;
  sort?: ChallengeSort | undefined;
  page: number;
  pageSize: number;
}
