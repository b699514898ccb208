import { describe, expect, it } from 'vitest';
import { compareCentres } from './regions.service.js';
import { measureTargets } from './progress.measures.js';
import { type ProgressFacts, targetDefinitions } from './progress.targets.js';

/**
 * A small sector worked out by hand: five current councils (ids 1–5) and one former council (id 9, which never
 * counts), two standards, components, challenges and two centres.
 */
const facts: ProgressFacts = {
  onDate: '2026-12-01',
  councils: [
    { id: 1, code: 'E1', name: 'One', region: 'North West', councilType: 'MD', councilTypeName: 'Metropolitan district' },
    { id: 2, code: 'E2', name: 'Two', region: 'North West', councilType: 'UA', councilTypeName: 'Unitary authority' },
    { id: 3, code: 'E3', name: 'Three', region: 'London', councilType: 'LBO', councilTypeName: 'London borough' },
    { id: 4, code: 'E4', name: 'Four', region: 'London', councilType: 'LBO', councilTypeName: 'London borough' },
    { id: 5, code: 'E5', name: 'Five', region: 'South West', councilType: 'UA', councilTypeName: 'Unitary authority' },
  ],
  centres: [
    { id: 100, slug: 'north-west', name: 'North West', memberIds: [1, 2, 9], openedOn: '2025-04-01' },
    { id: 101, slug: 'london', name: 'London', memberIds: [3, 4], openedOn: '2027-01-01' }, // not open yet
    { id: 102, slug: 'empty', name: 'Empty', memberIds: [], openedOn: null }, // no members: not running
  ],
  standards: [
    { slug: 'a', title: 'Standard A', meetingCodes: ['E1', 'E2', 'E3', 'E9'] },
    { slug: 'b', title: 'Standard B', meetingCodes: ['E1', 'E3', 'E5'] },
  ],
  adoptions: [
    // Component x: used by councils 1-5 and the former council 9; only 5 current users, so below ten.
    ...[1, 2, 3, 4, 5, 9].map((id) => ({
      componentSlug: 'x',
      componentName: 'X',
      organisationId: id,
      status: 'using',
      freshness: 'using',
    })),
    { componentSlug: 'y', componentName: 'Y', organisationId: 1, status: 'using', freshness: 'unconfirmed' },
  ],
  challenges: [
    { id: 1, title: 'Shared by three', stage: 'solved', sharerIds: [1, 2, 3], responses: 0, collaboration: true, url: '/challenges/1' },
    {
      id: 2,
      title: 'Three with a former council',
      stage: 'exploring',
      sharerIds: [1, 2, 9],
      responses: 1,
      collaboration: false,
      url: '/challenges/2',
    },
    { id: 3, title: 'Four councils', stage: 'funded', sharerIds: [2, 3, 4, 5], responses: 2, collaboration: false, url: '/challenges/3' },
  ],
  smeSpend: null,
  exchanges: { live: 4, target: 15 },
  workforce: {
    baselineYear: 2024,
    baseline: 20,
    currentYear: 2025,
    current: 21.5,
    target: 24,
    regions: [{ name: 'North West', index: 19.5 }],
  },
  mentoring: { completed: 7 },
  chiefExecutives: { value: 3, asOf: '2026-09-30' },
};

const byId = () => new Map(measureTargets(facts).map((measurement) => [measurement.id, measurement]));

describe('the targets from a hand-worked fixture', () => {
  it('lists one target per standard after the overall one', () => {
    expect(
      targetDefinitions(facts.standards)
        .map((target) => target.id)
        .slice(0, 4),
    ).toEqual(['regional-centres', 'standards-overall', 'standard-a', 'standard-b']);
  });

  it('counts centres that have opened and have members (1), their current member councils in the breakdown', () => {
    const centres = byId().get('regional-centres');
    expect(centres?.value).toBe(1);
    expect(centres?.byRegion.find((row) => row.label === 'North West')).toMatchObject({ councils: 2, counted: 2, percentage: 100 });
  });

  it('measures standards against current councils only: A 3 of 5 = 60%, B 3 of 5 = 60%, both 2 of 5 = 40%', () => {
    const measured = byId();
    expect(measured.get('standard-a')).toMatchObject({ value: 60, numerator: 3, denominator: 5 });
    expect(measured.get('standard-b')).toMatchObject({ value: 60, numerator: 3, denominator: 5 });
    expect(measured.get('standards-overall')).toMatchObject({ value: 40, numerator: 2, denominator: 5 });
    expect(measured.get('standards-overall')?.byRegion).toEqual([
      { key: 'London', label: 'London', councils: 2, counted: 1, percentage: 50 },
      { key: 'North West', label: 'North West', councils: 2, counted: 1, percentage: 50 },
      { key: 'South West', label: 'South West', councils: 1, counted: 0, percentage: 0 },
    ]);
    expect(measured.get('standards-overall')?.byCouncilType.find((row) => row.key === 'UA')).toMatchObject({ councils: 2, counted: 0 });
  });

  it('counts no component used by ten or more current councils (X has five current users, Y is stale)', () => {
    expect(byId().get('components-used')?.value).toBe(0);
    const many = {
      ...facts,
      councils: Array.from({ length: 10 }, (_, index) => ({ ...facts.councils[0]!, id: 200 + index, code: `E${200 + index}` })),
      adoptions: Array.from({ length: 10 }, (_, index) => ({
        componentSlug: 'z',
        componentName: 'Z',
        organisationId: 200 + index,
        status: 'using',
        freshness: 'using',
      })),
    };
    expect(measureTargets(many).find((measurement) => measurement.id === 'components-used')?.value).toBe(1);
  });

  it('counts challenges shared by three or more current councils (2: the one with a former council drops out), one collaboration, one solved', () => {
    const measured = byId();
    expect(measured.get('challenges-shared')?.value).toBe(2);
    expect(measured.get('challenges-collaborations')?.value).toBe(1);
    expect(measured.get('challenges-solved')?.value).toBe(1);
    expect(measured.get('challenges-shared')?.byRegion.find((row) => row.key === 'London')).toMatchObject({ councils: 2, counted: 2 });
  });

  it('leaves SME spend not yet measured, and takes exchanges, workforce, mentoring and the declared count as given', () => {
    const measured = byId();
    expect(measured.get('sme-spend')?.value).toBeNull();
    expect(measured.get('data-exchanges')).toMatchObject({ value: 4, denominator: 15 });
    expect(measured.get('workforce-under-represented')).toMatchObject({
      value: 21.5,
      goal: 24,
      baseline: { date: '2024-03-31', value: 20 },
    });
    expect(measured.get('mentoring-pairs')?.value).toBe(7);
    expect(measured.get('chief-executives-digital')?.value).toBe(3);
  });

  it('measures SME spend as the share of contract value with a known supplier size, from current councils only', () => {
    // Council 9 is not current (see the councils above), so only councils 1 and 2 are counted in the breakdowns.
    const measured = new Map(
      measureTargets({ ...facts, smeSpend: { smePence: 80_000, knownPence: 130_000, councilIds: [1, 2, 9] } }).map((row) => [row.id, row]),
    );
    const sme = measured.get('sme-spend');
    expect(sme?.value).toBe(61.5); // 80,000 of 130,000 pence, to one decimal place
    expect(sme?.byRegion.find((row) => row.key === 'North West')).toMatchObject({ counted: 2 });
  });

  it('compares centres by their current member councils', () => {
    const rows = compareCentres(facts, {
      profiles: [{ organisation_id: 100, regions: ['North West'], demo: true }],
      staff: new Map([[100, 2]]),
      agreements: [
        { slug: 'a', title: 'A', status: 'active', partyCodes: ['E1', 'E5'], reviewDate: '2027-01-01', reviewOverdue: false, url: '/a' },
        { slug: 'b', title: 'B', status: 'ended', partyCodes: ['E2'], reviewDate: '2027-01-01', reviewOverdue: false, url: '/b' },
      ],
      caseStudies: [{ slug: 'c', title: 'C', organisationCode: 'E3', url: '/c' }],
      spend: [
        { organisationId: 1, totalPence: 500 },
        { organisationId: 3, totalPence: 700 },
      ],
    });
    expect(rows[0]).toMatchObject({
      slug: 'north-west',
      demo: true,
      members: 2,
      staff: 2,
      challenges: 3,
      componentsUsed: 1,
      councilsUsingComponents: 100,
      meetingStandards: 50,
      councilsWithSpend: 1,
      spendPence: 500,
      agreements: 1,
      caseStudies: 0,
      workforce: [{ region: 'North West', index: 19.5 }],
    });
    expect(rows[1]).toMatchObject({
      slug: 'london',
      members: 2,
      challenges: 2,
      meetingStandards: 50,
      spendPence: 700,
      agreements: 0,
      caseStudies: 1,
    });
  });
});
