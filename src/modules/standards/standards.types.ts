import type { Basis, Rating } from './standards.tables.js';

export interface PointInput {
  title: string;
  meaning: string;
  whyItMatters: string;
  howToMeet: string;
  evidenceGuidance: string;
}

export interface RatingInput {
  pointNumber: number;
  rating: Rating | null;
  commentary: string;
  evidenceLinks: string;
  componentSlugs: string;
}

export interface Point {
  number: number;
  title: string;
  meaning: string;
  whyItMatters: string;
  howToMeet: string;
  evidenceGuidance: string;
}

export interface StandardSummary {
  slug: string;
  title: string;
  purpose: string;
  status: string;
  ownerName: string;
  currentVersion: number | null;
  points: Point[];
}

export interface AdoptionFigures {
  councils: number;
  meeting: number;
  percentage: number;
}

export interface CouncilAdoption {
  gssCode: string | null;
  name: string;
  region: string | null;
  councilType: string | null;
  councilTypeName: string | null;
  status: 'met' | 'not-met' | 'out-of-date' | 'none';
  basis: Basis | null;
  decidedOn: string | null;
}

export interface Adoption extends AdoptionFigures {
  standard: { slug: string; title: string };
  onDate: string;
  target: number;
  selfAssessed: number;
  peerReviewed: number;
  audited: number;
  assessedNotMet: number;
  /** Submitted self-assessments that do not count yet because nobody has signed them off. */
  awaitingSignOff: number;
  byRegion: Record<string, AdoptionFigures>;
  byCouncilType: Record<string, AdoptionFigures>;
  quarters: (AdoptionFigures & { quarter: string; onDate: string })[];
  councilList: CouncilAdoption[];
}

export interface PeerSuggestion {
  id: number;
  name: string;
  code: string;
  councilTypeName: string | null;
  region: string | null;
  activeMembers: number;
  reason: string;
}
