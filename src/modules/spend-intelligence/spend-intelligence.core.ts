import type { Clock } from '../../platform/clock.js';
import type { Organisation, OrganisationsService } from '../organisations/index.js';
import { concentrationFromAggregate, describeConcentration } from './spend-concentration.js';
import type { SpendAnalysisRepository } from './spend-intelligence.repository.js';
import { type ConcentrationItem, type CouncilAmount, perResident, reference } from './spend-intelligence.records.js';

const DIRECTORY_TTL_MS = 60_000;

/** What spend intelligence's services are built from, wired once in src/app/services.ts. */
export interface SpendAnalysisDependencies {
  spendAnalysisRepository: SpendAnalysisRepository;
  organisationsService: Pick<OrganisationsService, 'listOrganisations' | 'getOrganisation'>;
  clock: Clock;
}

/** What spend intelligence's use cases share: the register's organisations (kept for a minute), councils by code, and concentration. Over 80 lines as a set of short functions sharing one cache. */
export function createSpendAnalysisCore({ spendAnalysisRepository: repository, organisationsService, clock }: SpendAnalysisDependencies) {
  let directory: { loadedAt: number; byId: Map<number, Organisation>; all: Organisation[] } | null = null;

  /** Every organisation in the register, kept for a minute: names, codes and populations for spend figures. */
  async function organisationDirectory() {
    const now = clock().getTime();
    if (directory && now - directory.loadedAt < DIRECTORY_TTL_MS) return directory;
    const { items } = await organisationsService.listOrganisations({ page: 1, pageSize: 100_000 });
    directory = { loadedAt: now, byId: new Map(items.map((item) => [item.id, item])), all: items };
    return directory;
  }

  async function councilByCode(code: string): Promise<Organisation> {
    const { all } = await organisationDirectory();
    const wanted = code.trim().toUpperCase();
    const found = all.find((item) => item.gssCode?.toUpperCase() === wanted || item.slug.toUpperCase() === wanted);
    if (found) return found;
    const detail = await organisationsService.getOrganisation(code.trim());
    return detail;
  }

  async function withCouncils(rows: readonly { organisation_id: number; total_pence: number; transactions: number }[]) {
    const { byId } = await organisationDirectory();
    return rows.flatMap((row) => {
      const organisation = byId.get(row.organisation_id);
      // Spend is published by public bodies; a supplier's rows (from before uploads were refused to them) are never a council's.
      if (!organisation || organisation.kind === 'supplier') return [];
      return [
        {
          ...reference(organisation),
          totalPence: row.total_pence,
          transactions: row.transactions,
          perResidentPence: perResident(row.total_pence, organisation.population),
        } satisfies CouncilAmount,
      ];
    });
  }

  async function concentrationOf(organisationId: number): Promise<ConcentrationItem[]> {
    const rows = await repository.listOrganisationConcentration(organisationId);
    return rows.map((row) => {
      const concentration = concentrationFromAggregate({
        expenseType: row.expense_type,
        suppliers: row.suppliers,
        totalPence: row.total_pence,
        top1Pence: row.top1_pence,
        top5Pence: row.top5_pence,
        sumOfSquares: row.sum_of_squares,
      });
      return { ...concentration, ...describeConcentration(concentration) };
    });
  }

  return { organisationDirectory, councilByCode, withCouncils, concentrationOf };
}

export type SpendAnalysisCore = ReturnType<typeof createSpendAnalysisCore>;
