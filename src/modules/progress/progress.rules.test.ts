import { describe, expect, it } from 'vitest';
import {
  assessProgress,
  breakdown,
  byRegion,
  lastEndedQuarter,
  nextQuarterEnds,
  percentage,
  quarterEndOf,
  quarterLabel,
} from './progress.rules.js';

describe('the status rule', () => {
  const target = { date: '2030-03-31', value: 70 };

  it('is "not yet measured" without a current figure, and "on track" once the target is reached', () => {
    expect(assessProgress(null, null, target).status).toBe('not-yet-measured');
    expect(assessProgress({ date: '2025-03-31', value: 10 }, { date: '2026-03-31', value: 70 }, target).status).toBe('on-track');
  });

  it('needs attention until a quarter (91 days) has passed since the baseline', () => {
    const baseline = { date: '2026-01-01', value: 10 };
    expect(assessProgress(baseline, { date: '2026-04-01', value: 11 }, target).status).toBe('needs-attention'); // 90 days
    // From 91 days on it is judged: 10 → 11 in 91 days is about 46% a year, short of the ~54% a year needed to reach 70.
    const judged = assessProgress(baseline, { date: '2026-04-02', value: 11 }, target);
    expect(judged.achieved).toBeCloseTo(Math.pow(1.1, 365.25 / 91) - 1, 10);
    expect(judged.status).toBe('needs-attention');
  });

  // Baseline 10 on 2026-03-31, target 40 on 2030-03-31: four years (1461 days, 365.25 a year → exactly 4),
  // so the compound growth needed is 4^(1/4) − 1 = √2 − 1 ≈ 41.42% a year. After exactly one year (2027-03-31 is 365
  // days, 0.9993 years), achieved growth is (current/10)^(1/0.9993) − 1.
  const baseline = { date: '2026-03-31', value: 10 };
  const goal = { date: '2030-03-31', value: 40 };
  const years = 365 / 365.25;
  const valueFor = (rate: number) => 10 * Math.pow(1 + rate, years);
  const needed = Math.SQRT2 - 1;

  it('is on track when the growth achieved equals the growth needed (the boundary), and needs attention just below', () => {
    const at = assessProgress(baseline, { date: '2027-03-31', value: valueFor(needed) + 1e-9 }, goal);
    expect(at.needed).toBeCloseTo(needed, 10);
    expect(at.status).toBe('on-track');
    expect(assessProgress(baseline, { date: '2027-03-31', value: valueFor(needed) - 1e-6 }, goal).status).toBe('needs-attention');
  });

  it('needs attention at half the growth needed (the boundary), and is off track just below it', () => {
    expect(assessProgress(baseline, { date: '2027-03-31', value: valueFor(needed / 2) + 1e-9 }, goal).status).toBe('needs-attention');
    expect(assessProgress(baseline, { date: '2027-03-31', value: valueFor(needed / 2) - 1e-6 }, goal).status).toBe('off-track');
  });

  it('projects the figure at the deadline at the pace achieved', () => {
    const result = assessProgress(baseline, { date: '2027-03-31', value: valueFor(needed) }, goal);
    expect(result.projected).toBeCloseTo(40, 6);
  });

  it('counts units a year when the baseline is zero: 0 → 5 centres by 2030 needs 1.25 a year over four years', () => {
    const zero = { date: '2026-03-31', value: 0 };
    const centres = { date: '2030-03-31', value: 5 };
    const result = assessProgress(zero, { date: '2027-03-31', value: 1.25 * years }, centres);
    expect(result.compound).toBe(false);
    expect(result.needed).toBeCloseTo(1.25, 10);
    expect(result.status).toBe('on-track');
    expect(assessProgress(zero, { date: '2027-03-31', value: 1 }, centres).status).toBe('needs-attention'); // 1.0007 a year ≥ 0.625
    expect(assessProgress(zero, { date: '2027-03-31', value: 0 }, centres).status).toBe('off-track');
  });

  it('is off track when a figure falls from a positive baseline', () => {
    expect(assessProgress(baseline, { date: '2027-03-31', value: 0 }, goal).status).toBe('off-track');
  });
});

describe('quarters', () => {
  it('finds the end of a date’s quarter, the last ended quarter and the next quarter ends', () => {
    expect(quarterEndOf('2026-02-10')).toBe('2026-03-31');
    expect(quarterEndOf('2026-12-01')).toBe('2026-12-31');
    expect(lastEndedQuarter('2026-12-01')).toBe('2026-09-30');
    expect(lastEndedQuarter('2026-09-30')).toBe('2026-06-30');
    expect(lastEndedQuarter('2026-10-01')).toBe('2026-09-30');
    expect(lastEndedQuarter('2026-01-15')).toBe('2025-12-31');
    expect(nextQuarterEnds('2026-12-01', 3)).toEqual(['2026-12-31', '2027-03-31', '2027-06-30']);
    expect(quarterLabel('2026-09-30')).toBe('2026 Q3');
  });
});

describe('breakdowns', () => {
  it('counts councils of each group against every current council of the group', () => {
    const councils = [
      { id: 1, region: 'London', councilType: 'LBO', councilTypeName: 'London borough' },
      { id: 2, region: 'London', councilType: 'LBO', councilTypeName: 'London borough' },
      { id: 3, region: 'London', councilType: 'LBO', councilTypeName: 'London borough' },
      { id: 4, region: null, councilType: 'UA', councilTypeName: 'Unitary authority' },
    ];
    expect(breakdown(councils, new Set([1, 4, 99]), byRegion)).toEqual([
      { key: 'London', label: 'London', councils: 3, counted: 1, percentage: 33.3 },
      { key: 'none', label: 'Not recorded', councils: 1, counted: 1, percentage: 100 },
    ]);
    expect(percentage(1, 0)).toBeNull();
  });
});
