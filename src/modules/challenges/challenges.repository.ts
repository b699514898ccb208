import { type Kysely, type Selectable } from 'kysely';
import type {
  BudgetBand,
  ChallengeComponentsTable,
  ChallengeResponsesTable,
  ChallengesTable,
  ChallengeSharersTable,
  ChallengeTables,
  ServiceArea,
  Stage,
} from './challenges.tables.js';
import { createChallengeQueries } from './challenge.queries.js';
import { createParticipationQueries } from './participation.queries.js';

export type ChallengeRow = Selectable<ChallengesTable>;
export type ChallengeInsert = Omit<
  ChallengeRow,
  'id' | 'created_at' | 'updated_at' | 'reminded_at' | 'search_vector' | 'merged_into_id'
> & {
  updated_at?: Date;
};
export type ChallengeChanges = Partial<
  Pick<
    ChallengeRow,
    | 'title'
    | 'problem'
    | 'affects'
    | 'service_area'
    | 'workaround'
    | 'good_looks_like'
    | 'constraints'
    | 'budget_band'
    | 'timescale'
    | 'contract_end_date'
    | 'stage'
    | 'visibility'
    | 'contact_name'
    | 'contact_email'
    | 'merged_into_id'
    | 'updated_at'
    | 'reminded_at'
  >
>;
export type SharerRow = Selectable<ChallengeSharersTable>;
export type ResponseRow = Selectable<ChallengeResponsesTable>;
export type ComponentLinkRow = Selectable<ChallengeComponentsTable>;

/** A challenge in a list: its row, its owner, and the demand behind it. */
export interface ChallengeListRow extends Omit<ChallengeRow, 'search_vector'> {
  owner_name: string;
  owner_code: string;
  shared_by: number;
  combined_scale: number;
  /** Each unit's total over the sharing councils, as "unit=total" pairs joined by ";" (largest first). */
  scale_by_unit: string;
}

export interface SharerListRow extends SharerRow {
  organisation_name: string;
  organisation_code: string;
  council_type: string | null;
  council_type_name: string | null;
  region: string | null;
  start_date: string | null;
  end_date: string | null;
}

export interface ChallengeFilter {
  q?: string | undefined;
  stage?: Stage | undefined;
  serviceArea?: ServiceArea | undefined;
  budgetBand?: BudgetBand | undefined;
  region?: string | undefined;
  councilType?: string | undefined;
  minSharers?: number | undefined;
  /** Only challenges not updated since this instant (and still open). */
  staleBefore?: Date | undefined;
  /** Also list this organisation's drafts. */
  draftsOf?: number | null | undefined;
}

export type ChallengeSort = 'demand' | 'newest' | 'updated' | 'title';

export interface Page {
  offset: number;
  limit: number;
}

/** Every query the challenges module makes. Bound to a database or to a transaction. */
export function createChallengesRepository(db: Kysely<ChallengeTables>) {
  return { ...createChallengeQueries(db), ...createParticipationQueries(db) };
}

export type ChallengesRepository = ReturnType<typeof createChallengesRepository>;

/** Runs work in one transaction: the repository and the raw handle given to it are bound to that transaction. */
export type ChallengesTransaction = <T>(work: (repository: ChallengesRepository, trx: Kysely<ChallengeTables>) => Promise<T>) => Promise<T>;

/** The transaction runner for a database. */
export function createChallengesTransaction(db: Kysely<ChallengeTables>): ChallengesTransaction {
  return (work) => db.transaction().execute((trx) => work(createChallengesRepository(trx), trx));
}
