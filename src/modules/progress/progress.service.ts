import type { Actor } from '../../platform/actor.js';
import { isoDate, type Clock } from '../../platform/clock.js';
import { InputError, NotAllowedError, NotFoundError, SignInRequiredError } from '../../platform/errors.js';
import type { ProgressRepository, SnapshotRow } from './progress.repository.js';
import {
  type Assessment,
  assessProgress,
  type BreakdownRow,
  lastEndedQuarter,
  nextQuarterEnds,
  quarterLabel,
  type Status,
  STATUS_RULE,
} from './progress.rules.js';
import type { ProgressSources, WorkItem } from './progress.sources.js';
import { measureTargets } from './progress.measures.js';
import { DEADLINE, type Measurement, type ProgressFacts, type TargetDefinition, targetDefinitions } from './progress.targets.js';

/** Facts are gathered from every module at most once a minute; snapshots and declarations clear them. */
const FACTS_TTL_MS = 60_000;

export interface HistoryPoint {
  date: string;
  quarter: string;
  value: number | null;
  /** True for the live figure (today), false for a quarter's snapshot. */
  live: boolean;
}

export interface CorrectionNote {
  quarter: string;
  quarterEnd: string;
  snapshotValue: number | null;
  correctedValue: number | null;
  notedOn: string;
}

export interface TargetView {
  id: string;
  title: string;
  unit: TargetDefinition['unit'];
  definition: TargetDefinition;
  measurement: Measurement;
  baseline: { date: string; value: number } | null;
  current: { date: string; value: number } | null;
  target: { date: string; value: number } | null;
  status: Status;
  assessment: Assessment;
  history: HistoryPoint[];
  corrections: CorrectionNote[];
}

function breakdownsOf(measurement: Measurement): string {
  return JSON.stringify({ byRegion: measurement.byRegion, byCouncilType: measurement.byCouncilType });
}

function sameValue(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) < 1e-9;
}

/**
 * The 2030 dashboard: figures from the other modules' services, quarterly snapshots, declared figures, the institute's
 * view. Over 80 lines as a set of short methods sharing one set of dependencies and the figures' one-minute cache.
 */
export function createProgressService({
  repository,
  sources,
  clock,
}: {
  repository: ProgressRepository;
  sources: ProgressSources;
  clock: Clock;
}) {
  const today = () => isoDate(clock());
  let cached: { at: number; onDate: string; facts: ProgressFacts } | null = null;

  async function gatherFacts(): Promise<ProgressFacts> {
    const onDate = today();
    const now = clock().getTime();
    if (cached && cached.onDate === onDate && now - cached.at < FACTS_TTL_MS && now >= cached.at) return cached.facts;
    const [councils, centres, profiles, standards, adoptions, challenges, smeSpend, exchanges, workforce, mentoring, declared] =
      await Promise.all([
        sources.listCouncils(onDate),
        sources.listCentres(),
        repository.listCentreProfiles(),
        sources.listStandards(onDate),
        sources.listAdoptions(),
        sources.listChallenges(),
        sources.measureSmeSpend(),
        sources.countLiveExchanges(),
        sources.measureWorkforce(),
        sources.countMentoring(),
        repository.findDeclaredFigure('chief-executives-digital', onDate),
      ]);
    const openedOn = new Map(profiles.map((profile) => [profile.organisation_id, profile.opened_on]));
    const facts: ProgressFacts = {
      onDate,
      councils,
      centres: centres.map((centre) => ({ ...centre, openedOn: openedOn.get(centre.id) ?? null })),
      standards,
      adoptions,
      challenges,
      smeSpend,
      exchanges,
      workforce,
      mentoring,
      chiefExecutives: declared ? { value: declared.value, asOf: declared.as_of } : null,
    };
    cached = { at: now, onDate, facts };
    return facts;
  }

  async function measureAll(): Promise<{ facts: ProgressFacts; definitions: TargetDefinition[]; measurements: Map<string, Measurement> }> {
    const facts = await gatherFacts();
    const definitions = targetDefinitions(facts.standards);
    const measurements = new Map(measureTargets(facts).map((measurement) => [measurement.id, measurement]));
    return { facts, definitions, measurements };
  }

  /** Snapshots a quarter from today's figures. A target already snapshotted for it keeps its snapshot; a different figure is recorded as a correction. */
  async function takeSnapshot(quarterEnd = lastEndedQuarter(today())): Promise<{ quarterEnd: string; taken: number; corrections: number }> {
    if (quarterEnd >= today())
      throw new InputError(`The quarter ending ${quarterEnd} has not ended yet`, [
        { field: 'quarter', message: 'Choose a quarter that has ended' },
      ]);
    cached = null;
    const { definitions, measurements } = await measureAll();
    const existing = new Map((await repository.listSnapshotsOfQuarter(quarterEnd)).map((row) => [row.target_id, row]));
    const fresh = [];
    let corrections = 0;
    for (const definition of definitions) {
      const measurement = measurements.get(definition.id);
      if (!measurement) continue;
      const before = existing.get(definition.id);
      if (before) {
        if (!sameValue(before.value, measurement.value)) {
          const added = await repository.insertCorrection({
            target_id: definition.id,
            quarter_end: quarterEnd,
            snapshot_value: before.value,
            corrected_value: measurement.value,
          });
          if (added) corrections += 1;
        }
        continue;
      }
      fresh.push({
        target_id: definition.id,
        quarter_end: quarterEnd,
        value: measurement.value,
        numerator: measurement.numerator,
        denominator: measurement.denominator,
        breakdowns: breakdownsOf(measurement),
      });
    }
    const taken = await repository.insertSnapshots(fresh);
    return { quarterEnd, taken, corrections };
  }

  /** The snapshot due for the last ended quarter is taken the first time anyone looks after the quarter ends. */
  async function ensureDueSnapshot(): Promise<void> {
    const due = lastEndedQuarter(today());
    if (!(await repository.hasSnapshot(due))) await takeSnapshot(due);
  }

  function view(
    definition: TargetDefinition,
    measurement: Measurement,
    snapshots: readonly SnapshotRow[],
    corrections: readonly CorrectionNote[],
    onDate: string,
  ): TargetView {
    const goal = measurement.goal ?? definition.goal;
    const target = goal === null ? null : { date: DEADLINE, value: goal };
    const measured = snapshots.filter((row) => row.value !== null);
    const first = measured[0];
    const current = measurement.value === null ? null : { date: onDate, value: measurement.value };
    const baseline = measurement.baseline ?? (first ? { date: first.quarter_end, value: first.value as number } : current);
    const assessment: Assessment =
      target === null
        ? { status: 'not-yet-measured', needed: null, achieved: null, projected: null, compound: false }
        : assessProgress(baseline, current, target);
    const history: HistoryPoint[] = snapshots.map((row) => ({
      date: row.quarter_end,
      quarter: quarterLabel(row.quarter_end),
      value: row.value,
      live: false,
    }));
    if (current && (history.length === 0 || (history.at(-1)?.date ?? '') < onDate))
      history.push({ date: onDate, quarter: 'Now (live)', value: current.value, live: true });
    return {
      id: definition.id,
      title: definition.title,
      unit: definition.unit,
      definition,
      measurement,
      baseline,
      current,
      target,
      status: assessment.status,
      assessment,
      history,
      corrections: [...corrections],
    };
  }

  function correctionNotes(rows: Awaited<ReturnType<ProgressRepository['listCorrections']>>): Map<string, CorrectionNote[]> {
    const notes = new Map<string, CorrectionNote[]>();
    for (const row of rows) {
      const list = notes.get(row.target_id) ?? [];
      list.push({
        quarter: quarterLabel(row.quarter_end),
        quarterEnd: row.quarter_end,
        snapshotValue: row.snapshot_value,
        correctedValue: row.corrected_value,
        notedOn: isoDate(row.noted_at),
      });
      notes.set(row.target_id, list);
    }
    return notes;
  }

  async function listTargets(): Promise<{ asOf: string; targets: TargetView[] }> {
    await ensureDueSnapshot();
    const [{ facts, definitions, measurements }, snapshots, corrections] = await Promise.all([
      measureAll(),
      repository.listSnapshots(),
      repository.listCorrections(),
    ]);
    const notes = correctionNotes(corrections);
    const targets = definitions.flatMap((definition) => {
      const measurement = measurements.get(definition.id);
      if (!measurement) return [];
      return [
        view(
          definition,
          measurement,
          snapshots.filter((row) => row.target_id === definition.id),
          notes.get(definition.id) ?? [],
          facts.onDate,
        ),
      ];
    });
    return { asOf: facts.onDate, targets };
  }

  /** When the next four quarterly snapshots are due, and which quarter was last snapshotted. */
  function releaseCalendar() {
    const onDate = today();
    return {
      lastQuarter: { quarter: quarterLabel(lastEndedQuarter(onDate)), quarterEnd: lastEndedQuarter(onDate) },
      next: nextQuarterEnds(onDate, 4).map((end) => ({ quarter: quarterLabel(end), quarterEnd: end })),
    };
  }

  function requirePlatformAdmin(actor: Actor | null): Actor {
    if (!actor) throw new SignInRequiredError('Sign in to see the institute’s view');
    if (actor.role !== 'platform-admin') throw new NotAllowedError('Only the institute’s platform admins can do this');
    return actor;
  }

  return {
    gatherFacts,
    takeSnapshot,
    listTargets,

    /** The dashboard: every target with its status, and when the next snapshots are due. */
    async getDashboard() {
      const { asOf, targets } = await listTargets();
      return { asOf, targets, rule: STATUS_RULE, calendar: releaseCalendar() };
    },

    /** One target with its history, breakdowns, method and corrections. */
    async getTarget(id: string) {
      const { asOf, targets } = await listTargets();
      const found = targets.find((target) => target.id === id);
      if (!found) throw new NotFoundError(`No target has the id ${id}`);
      return { asOf, target: found, rule: STATUS_RULE, calendar: releaseCalendar() };
    },

    releaseCalendar,

    /** Declares the count of chief executives from digital backgrounds (platform admins). One audit event. */
    async declareChiefExecutives(actor: Actor | null, input: { value?: string | number; asOf?: string; source?: string }): Promise<void> {
      const admin = requirePlatformAdmin(actor);
      const value = Number(String(input.value ?? '').trim());
      const problems: { field: string; message: string }[] = [];
      if (String(input.value ?? '').trim() === '' || !Number.isInteger(value) || value < 0 || value > 1000)
        problems.push({ field: 'value', message: 'Enter the count as a whole number from 0 to 1000' });
      const asOf = (input.asOf ?? '').trim();
      if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`)) || asOf > today())
        problems.push({ field: 'asOf', message: 'Enter the date the count is for, as YYYY-MM-DD, not in the future' });
      const source = (input.source ?? '').trim();
      if (source === '') problems.push({ field: 'source', message: 'Say where the count comes from (for example, a survey and its date)' });
      if (problems.length > 0) throw new InputError('Check the declared figure', problems);
      await repository.insertDeclaredFigure(admin, {
        figure: 'chief-executives-digital',
        value,
        as_of: asOf,
        source: source.slice(0, 500),
        entered_by: admin.userId,
      });
      cached = null;
    },

    /** The institute's view (platform admins): every target's figure and the sector's work queue. */
    async getInstituteView(actor: Actor | null) {
      requirePlatformAdmin(actor);
      const onDate = today();
      const [{ targets }, standardsWork, agreements, adoptions, challenges, councils, declarations] = await Promise.all([
        listTargets(),
        sources.listStandardsWork(),
        sources.listAgreements(),
        sources.listAdoptions(),
        sources.listChallenges(),
        sources.listCouncils(onDate),
        repository.listDeclaredFigures('chief-executives-digital'),
      ]);
      const names = new Map(councils.map((council) => [council.id, council.name]));
      const queue: WorkItem[] = [
        ...standardsWork,
        ...agreements
          .filter((agreement) => agreement.reviewOverdue)
          .map((agreement) => ({
            kind: 'agreement-review' as const,
            title: agreement.title,
            detail: `Review was due on ${agreement.reviewDate}`,
            href: agreement.url,
            since: agreement.reviewDate,
          })),
        ...adoptions
          .filter((adoption) => adoption.freshness === 'unconfirmed' && adoption.status !== 'retired')
          .map((adoption) => ({
            kind: 'stale-adoption' as const,
            title: `${adoption.componentName}: ${names.get(adoption.organisationId) ?? 'an organisation'}`,
            detail: 'Not confirmed for more than 12 months',
            href: `/components/${adoption.componentSlug}`,
            since: adoption.confirmedAt.slice(0, 10),
          })),
        ...challenges
          .filter((challenge) => challenge.responses === 0 && challenge.stage !== 'solved' && challenge.stage !== 'closed')
          .map((challenge) => ({
            kind: 'unanswered-challenge' as const,
            title: challenge.title,
            detail: `No supplier response; shared by ${challenge.sharerIds.length} organisation${challenge.sharerIds.length === 1 ? '' : 's'}`,
            href: challenge.url,
            since: challenge.createdAt.slice(0, 10),
          })),
      ];
      const counts = {
        'peer-review': 0,
        audit: 0,
        'agreement-review': 0,
        'stale-adoption': 0,
        'unanswered-challenge': 0,
      } satisfies Record<WorkItem['kind'], number>;
      for (const item of queue) counts[item.kind] += 1;
      return {
        asOf: onDate,
        targets,
        queue: queue.sort((a, b) => (a.since ?? '').localeCompare(b.since ?? '')),
        counts,
        councils: councils.length,
        declarations: declarations.map((row) => ({
          value: row.value,
          asOf: row.as_of,
          source: row.source,
          enteredOn: isoDate(row.entered_at),
        })),
      };
    },
  };
}

export type ProgressService = ReturnType<typeof createProgressService>;
export type { BreakdownRow };
