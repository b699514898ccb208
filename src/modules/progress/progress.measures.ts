/**
 * Each target's figure and breakdowns from the facts gathered from the other modules (pure functions). Tests
 * check each against figures worked out by hand.
 */
import { breakdown, byCouncilType, byRegion, percentage } from './progress.rules.js';
import { COMPONENT_MINIMUM, type Measurement, type ProgressFacts, SHARED_CHALLENGE_MINIMUM } from './progress.targets.js';

type Councils = ReadonlyMap<number, ProgressFacts['councils'][number]>;

function councilMeasure(
  id: string,
  facts: ProgressFacts,
  counted: ReadonlySet<number>,
  value: number | null,
  numerator: number | null,
  denominator: number | null,
): Measurement {
  return {
    id,
    value,
    numerator,
    denominator,
    byRegion: breakdown(facts.councils, counted, byRegion),
    byCouncilType: breakdown(facts.councils, counted, byCouncilType),
    breakdownNote: '',
  };
}

function notMeasured(id: string, note: string): Measurement {
  return { id, value: null, numerator: null, denominator: null, byRegion: [], byCouncilType: [], breakdownNote: note };
}

/** Centres: opened on or before the day, with at least one member. */
function measureCentres(facts: ProgressFacts, current: Councils): Measurement {
  const running = facts.centres.filter(
    (centre) => centre.memberIds.length > 0 && (centre.openedOn === null || centre.openedOn <= facts.onDate),
  );
  const centreMembers = new Set(running.flatMap((centre) => centre.memberIds).filter((id) => current.has(id)));
  return councilMeasure('regional-centres', facts, centreMembers, running.length, running.length, null);
}

/** Standards: every standard at once, then each standard. */
function measureStandards(facts: ProgressFacts): Measurement[] {
  const councilCount = facts.councils.length;
  const idsByCode = new Map(facts.councils.map((council) => [council.code, council.id]));
  const measurements: Measurement[] = [];
  const meetingSets = facts.standards.map((standard) => ({
    standard,
    meeting: new Set(standard.meetingCodes.flatMap((code) => (idsByCode.has(code) ? [idsByCode.get(code) as number] : []))),
  }));
  if (meetingSets.length === 0 || councilCount === 0) {
    measurements.push(notMeasured('standards-overall', 'No standard is in force yet.'));
  } else {
    const all = new Set(facts.councils.filter((council) => meetingSets.every(({ meeting }) => meeting.has(council.id))).map((c) => c.id));
    measurements.push(councilMeasure('standards-overall', facts, all, percentage(all.size, councilCount), all.size, councilCount));
  }
  for (const { standard, meeting } of meetingSets) {
    measurements.push(
      councilMeasure(`standard-${standard.slug}`, facts, meeting, percentage(meeting.size, councilCount), meeting.size, councilCount),
    );
  }
  return measurements;
}

/** Components used by ten or more current councils. */
function measureComponents(facts: ProgressFacts, current: Councils): Measurement {
  const users = new Map<string, Set<number>>();
  for (const adoption of facts.adoptions) {
    if (adoption.freshness !== 'using' || !current.has(adoption.organisationId)) continue;
    const set = users.get(adoption.componentSlug) ?? new Set<number>();
    set.add(adoption.organisationId);
    users.set(adoption.componentSlug, set);
  }
  const widelyUsed = [...users.values()].filter((set) => set.size >= COMPONENT_MINIMUM);
  const componentUsers = new Set(widelyUsed.flatMap((set) => [...set]));
  return councilMeasure('components-used', facts, componentUsers, widelyUsed.length, widelyUsed.length, null);
}

/** Challenges shared by three or more current councils, their collaborations, and those solved. */
function measureChallenges(facts: ProgressFacts, current: Councils): Measurement[] {
  const shared = facts.challenges
    .map((challenge) => ({ ...challenge, councils: challenge.sharerIds.filter((id) => current.has(id)) }))
    .filter((challenge) => new Set(challenge.councils).size >= SHARED_CHALLENGE_MINIMUM);
  const challengeMeasure = (id: string, list: typeof shared) => {
    const taking = new Set(list.flatMap((challenge) => challenge.councils));
    return councilMeasure(id, facts, taking, list.length, list.length, null);
  };
  return [
    challengeMeasure('challenges-shared', shared),
    challengeMeasure(
      'challenges-collaborations',
      shared.filter((challenge) => challenge.collaboration),
    ),
    challengeMeasure(
      'challenges-solved',
      shared.filter((challenge) => challenge.stage === 'solved'),
    ),
  ];
}

/** Spend with SMEs where supplier size is known. */
function measureSmeSpend(facts: ProgressFacts, current: Councils): Measurement {
  if (facts.smeSpend === null || facts.smeSpend.knownPence === 0)
    return notMeasured('sme-spend', 'Not yet measured: no contract gives a supplier’s size.');
  const councilsWithSme = new Set(facts.smeSpend.councilIds.filter((id) => current.has(id)));
  return councilMeasure(
    'sme-spend',
    facts,
    councilsWithSme,
    percentage(facts.smeSpend.smePence, facts.smeSpend.knownPence),
    facts.smeSpend.smePence,
    facts.smeSpend.knownPence,
  );
}

function measureExchanges(facts: ProgressFacts): Measurement {
  return facts.exchanges === null
    ? notMeasured('data-exchanges', 'No exemplars are recorded.')
    : {
        ...notMeasured('data-exchanges', 'An exchange involves several organisations; no regional breakdown.'),
        value: facts.exchanges.live,
        numerator: facts.exchanges.live,
        denominator: facts.exchanges.target,
      };
}

function measureWorkforce(facts: ProgressFacts): Measurement {
  if (facts.workforce === null) return notMeasured('workforce-under-represented', 'Not yet measured: no workforce tables are published.');
  const { workforce } = facts;
  return {
    id: 'workforce-under-represented',
    value: workforce.current,
    numerator: null,
    denominator: null,
    baseline: { date: `${workforce.baselineYear}-03-31`, value: workforce.baseline },
    goal: workforce.target,
    byRegion: workforce.regions.map((region) => ({
      key: region.name,
      label: region.name,
      councils: 0,
      counted: 0,
      percentage: region.index,
    })),
    byCouncilType: [],
    breakdownNote: 'Regions show the index of their published tables; the workforce tables publish no council-type breakdown.',
  };
}

function measureMentoring(facts: ProgressFacts): Measurement {
  return facts.mentoring === null
    ? notMeasured('mentoring-pairs', 'No mentoring rounds yet.')
    : {
        ...notMeasured('mentoring-pairs', 'Mentoring pairs cross councils; no regional breakdown.'),
        value: facts.mentoring.completed,
        numerator: facts.mentoring.completed,
      };
}

function measureChiefExecutives(facts: ProgressFacts): Measurement {
  return facts.chiefExecutives === null
    ? notMeasured('chief-executives-digital', 'Not yet measured: no count has been declared.')
    : {
        ...notMeasured('chief-executives-digital', 'A declared aggregate count: no breakdown is collected, so no one can be identified.'),
        value: facts.chiefExecutives.value,
        numerator: facts.chiefExecutives.value,
      };
}

/** Every target's figure from the facts (pure), in the dashboard's order. */
export function measureTargets(facts: ProgressFacts): Measurement[] {
  const current = new Map(facts.councils.map((council) => [council.id, council]));
  return [
    measureCentres(facts, current),
    ...measureStandards(facts),
    measureComponents(facts, current),
    ...measureChallenges(facts, current),
    measureSmeSpend(facts, current),
    measureExchanges(facts),
    measureWorkforce(facts),
    measureMentoring(facts),
    measureChiefExecutives(facts),
  ];
}
