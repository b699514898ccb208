/**
 * Workforce benchmark (issue 17), on PGlite:
 *  1. publish every table of a year (317 councils × 7 dimensions × 4 grade bands and all grades, at council, region
 *     and nation level) under disclosure control: read the returns, control, store. Target: under 10 s.
 *     A second publication of the same year (one return corrected) is timed too: it is checked against the first.
 *  2. match a mentoring round of 5,000 mentees and 1,000 mentors (capacities 1 to 5). Target: under 2 s.
 * Run with `npm run bench:workforce`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServices } from '../src/app/services.js';
import { seedReferenceData } from '../src/app/seed.js';
import { migrationsFolder } from '../src/app/paths.js';
import type { Database } from '../src/app/database-schema.js';
import { openDatabase } from '../src/platform/database/database.js';
import { migrateToLatest } from '../src/platform/database/migrator.js';
import { createLogger } from '../src/platform/logging.js';
import { matchMentoring } from '../src/modules/workforce/mentoring-matching.js';
import { seededRandom, syntheticReturn } from '../src/modules/workforce/workforce.seed.js';

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

async function benchPublication(): Promise<void> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-bench-workforce-'));
  const handle = await openDatabase<Database>({ engine: 'pglite', dataDirectory: directory });
  try {
    await migrateToLatest(handle.db as never, migrationsFolder);
    const services = createServices({ db: handle.db, clock: () => new Date() });
    await seedReferenceData(services, createLogger('warn'));
    const councils = await services.organisationsService.listCurrentPrincipalCouncils('England');
    const random = seededRandom(17);
    const year = 2026;
    let people = 0;
    for (const council of councils) {
      const counts = syntheticReturn(random, council.population);
      people += Object.values(counts.headcount).reduce((a, b) => a + b, 0);
      const returnId = await services.workforceRepository.insertReturn({ organisation_id: council.id, year, synthetic: true });
      await services.workforceRepository.insertReturnVersion({
        return_id: returnId,
        version: 1,
        counts,
        source: 'synthetic',
        correction_reason: '',
        submitted_by: null,
      });
    }
    let start = process.hrtime.bigint();
    const first = await services.tablesService.publishYear(null, year);
    const firstSeconds = seconds(start);
    console.log(
      `publish ${councils.length} councils (${people} people), 7 dimensions × 5 grade selections × 3 levels: ${firstSeconds.toFixed(2)} s; ${first.hidden} cells hidden, ${first.unprotected} unprotected  [target < 10 s]`,
    );
    // A correction, then a second publication checked against the first for differencing.
    const corrected = councils[0];
    if (corrected) {
      const existing = await services.workforceRepository.findReturn(corrected.id, year);
      await services.workforceRepository.insertReturnVersion({
        return_id: existing?.id as number,
        version: 2,
        counts: syntheticReturn(random, corrected.population),
        source: 'synthetic',
        correction_reason: 'bench',
        submitted_by: null,
      });
      await services.workforceRepository.setCurrentVersion(existing?.id as number, 2, new Date());
    }
    start = process.hrtime.bigint();
    const second = await services.tablesService.publishYear(null, year);
    console.log(
      `second publication of the year, checked against the first: ${seconds(start).toFixed(2)} s; ${second.hidden} hidden, ${second.unprotected} unprotected`,
    );
  } finally {
    await handle.close();
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

function benchMatching(): void {
  const random = seededRandom(5000);
  const mentorCount = 1000;
  const menteeCount = 5000;
  const mentorLeads = Array.from({ length: mentorCount }, () => random() < 0.5);
  const menteeLeads = Array.from({ length: menteeCount }, () => random() < 0.5);
  let start = process.hrtime.bigint();
  // As the service builds them: up to five ranked choices, then the other field's people tied, then the rest tied.
  const mentees = Array.from({ length: menteeCount }, (_, index) => {
    const choices = [...new Set(Array.from({ length: 5 }, () => Math.floor(random() * mentorCount)))];
    const crossing: number[] = [];
    const same: number[] = [];
    for (let mentor = 0; mentor < mentorCount; mentor += 1) {
      if (choices.includes(mentor) || random() < 0.01) continue; // about 1% banned
      (mentorLeads[mentor] !== menteeLeads[index] ? crossing : same).push(mentor);
    }
    return { id: index, preferences: [...choices.map((choice) => [choice]), crossing, same] };
  });
  const mentors = Array.from({ length: mentorCount }, (_, index) => {
    const choices = [...new Set(Array.from({ length: 5 }, () => Math.floor(random() * menteeCount)))];
    const crossing: number[] = [];
    const same: number[] = [];
    for (let mentee = 0; mentee < menteeCount; mentee += 1) {
      if (choices.includes(mentee)) continue;
      (menteeLeads[mentee] !== mentorLeads[index] ? crossing : same).push(mentee);
    }
    return { id: index, capacity: 1 + Math.floor(random() * 5), preferences: [...choices.map((choice) => [choice]), crossing, same] };
  });
  // Mentor ids must not clash with mentee ids.
  const shifted = mentors.map((mentor) => ({ ...mentor, id: mentor.id + menteeCount }));
  const shiftedMentees = mentees.map((mentee) => ({
    ...mentee,
    preferences: mentee.preferences.map((group) => group.map((id) => id + menteeCount)),
  }));
  const buildSeconds = seconds(start);
  start = process.hrtime.bigint();
  const result = matchMentoring(shiftedMentees, shifted);
  const matchSeconds = seconds(start);
  const capacity = shifted.reduce((sum, mentor) => sum + mentor.capacity, 0);
  console.log(
    `match 5,000 mentees × 1,000 mentors (capacity ${capacity}): ${matchSeconds.toFixed(2)} s; ${result.pairs.length} pairs, ${result.unmatchedMentees.length} waitlisted (lists built in ${buildSeconds.toFixed(2)} s)  [target < 2 s]`,
  );
}

benchMatching();
if (process.argv.includes('--matching-only')) process.exit(0);
await benchPublication();
