import type { Organisation } from '../organisations/index.js';
import type { Basis, Outcome } from './standards.tables.js';
import { ADOPTION_TARGET, ASSESSMENT_VALID_MONTHS, CHART_QUARTERS } from './standards.labels.js';
import type { Adoption, CouncilAdoption } from './standards.types.js';
import { figures, monthsBefore, quartersUpTo } from './standards.records.js';
import { createStandardsCore, type StandardsCore, type StandardsDependencies } from './standards.core.js';

/** Adoption: how many councils meet a standard, on any date and quarter by quarter, against the 2030 target. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createAdoptionService(deps: StandardsDependencies, core: StandardsCore = createStandardsCore(deps)) {
  const { standardsRepository, organisationsService } = deps;
  const { today, requireStandard } = core;

  async function measure(
    standardId: number,
    onDate: string,
  ): Promise<{ councils: Organisation[]; decisions: Map<number, { outcome: Outcome; basis: Basis; decided_on: string }> }> {
    const [councils, decisions] = await Promise.all([
      organisationsService.listCurrentPrincipalCouncils('England', onDate),
      standardsRepository.listLatestDecisions(standardId, onDate, monthsBefore(onDate, ASSESSMENT_VALID_MONTHS)),
    ]);
    return { councils, decisions: new Map(decisions.map((decision) => [decision.organisation_id, decision])) };
  }

  return {
    /**
     * Adoption of a standard on a date: the current English principal councils whose most recent assessment of the
     * standard (decided within 24 months) is met, split by basis, region and council type, and a line per quarter.
     */
    async measureAdoption(slug: string, onDate = today()): Promise<Adoption> {
      const standard = await requireStandard(slug);
      const { councils, decisions } = await measure(standard.id, onDate);
      const byBasis: Record<Basis, number> = { self: 0, peer: 0, audited: 0 };
      const regionTotals = new Map<string, { councils: number; meeting: number }>();
      const typeTotals = new Map<string, { councils: number; meeting: number }>();
      const [outOfDate, awaitingSignOff] = await Promise.all([
        standardsRepository.listLatestDecisions(standard.id, onDate, '0001-01-01'),
        standardsRepository.countAssessmentsAwaitingSignOff(standard.id),
      ]);
      const everAssessed = new Set(outOfDate.map((decision) => decision.organisation_id));
      let assessedNotMet = 0;
      const councilList: CouncilAdoption[] = councils.map((council) => {
        const decision = decisions.get(council.id);
        const meets = decision?.outcome === 'met';
        if (decision && meets) byBasis[decision.basis] += 1;
        if (decision && !meets) assessedNotMet += 1;
        const region = council.region ?? 'Not recorded';
        const type = council.councilTypeName ?? 'Not recorded';
        for (const [map, key] of [
          [regionTotals, region],
          [typeTotals, type],
        ] as const) {
          const totals = map.get(key) ?? { councils: 0, meeting: 0 };
          totals.councils += 1;
          if (meets) totals.meeting += 1;
          map.set(key, totals);
        }
        return {
          gssCode: council.gssCode,
          name: council.name,
          region: council.region,
          councilType: council.councilType,
          councilTypeName: council.councilTypeName,
          status: decision ? (meets ? 'met' : 'not-met') : everAssessed.has(council.id) ? 'out-of-date' : 'none',
          basis: decision?.basis ?? null,
          decidedOn: decision?.decided_on ?? null,
        };
      });
      const meeting = byBasis.self + byBasis.peer + byBasis.audited;
      const toRecord = (map: Map<string, { councils: number; meeting: number }>) =>
        Object.fromEntries(
          [...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => [key, figures(value.councils, value.meeting)]),
        );
      const quarters = [];
      for (const quarter of quartersUpTo(onDate, CHART_QUARTERS)) {
        if (quarter.onDate === onDate) {
          quarters.push({ ...quarter, ...figures(councils.length, meeting) });
          continue;
        }
        const past = await measure(standard.id, quarter.onDate);
        const met = past.councils.filter((council) => past.decisions.get(council.id)?.outcome === 'met').length;
        quarters.push({ ...quarter, ...figures(past.councils.length, met) });
      }
      return {
        standard: { slug: standard.slug, title: standard.title },
        onDate,
        target: ADOPTION_TARGET,
        ...figures(councils.length, meeting),
        selfAssessed: byBasis.self,
        peerReviewed: byBasis.peer,
        audited: byBasis.audited,
        assessedNotMet,
        awaitingSignOff,
        byRegion: toRecord(regionTotals),
        byCouncilType: toRecord(typeTotals),
        quarters,
        councilList,
      };
    },
  };
}
