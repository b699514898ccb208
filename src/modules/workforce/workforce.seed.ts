import { type Clock, isoDate } from '../../platform/clock.js';
import type { IdentityService } from '../identity/index.js';
import type { Organisation, OrganisationsService } from '../organisations/index.js';
import type { MentoringService } from './mentoring.service.js';
import type { TablesService } from './tables.service.js';
import { DIMENSIONS, emptyCounts, type GRADE_BANDS, type ReturnCounts } from './workforce.categories.js';
import type { WorkforceRepository } from './workforce.repository.js';
import type { OpportunityKind, WorkPlace } from './workforce.tables.js';

/**
 * Demo content, all of it SYNTHETIC and labelled so: made-up diversity returns for every English council (from
 * a fixed seed, so every install gets the same figures), a dozen opportunities and a mentoring round of about
 * 200 made-up people. None of it describes any real council's staff.
 */

/** A deterministic pseudo-random source (mulberry32), so the synthetic figures are the same on every install. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Rough sector-wide shares for each category, so synthetic teams look plausible (made up, not measured). */
const SHARES: Record<string, Record<string, number>> = {
  ethnicity: { asian: 0.08, black: 0.04, mixed: 0.03, white: 0.76, other: 0.02, 'prefer-not-to-say': 0.03, 'not-known': 0.04 },
  sex: { female: 0.38, male: 0.56, 'prefer-not-to-say': 0.02, 'not-known': 0.04 },
  'gender-identity': { 'same-as-birth': 0.86, 'different-from-birth': 0.01, 'prefer-not-to-say': 0.04, 'not-known': 0.09 },
  disability: { disabled: 0.1, 'not-disabled': 0.74, 'prefer-not-to-say': 0.05, 'not-known': 0.11 },
  'sexual-orientation': {
    straight: 0.78,
    'gay-or-lesbian': 0.03,
    bisexual: 0.02,
    other: 0.01,
    'prefer-not-to-say': 0.07,
    'not-known': 0.09,
  },
  age: {
    '16-24': 0.06,
    '25-34': 0.22,
    '35-44': 0.27,
    '45-54': 0.25,
    '55-64': 0.15,
    '65-plus': 0.02,
    'prefer-not-to-say': 0.01,
    'not-known': 0.02,
  },
  'socio-economic-background': { professional: 0.45, intermediate: 0.17, lower: 0.22, 'prefer-not-to-say': 0.05, 'not-known': 0.11 },
};
const GRADE_SHARES = { entry: 0.14, practitioner: 0.5, senior: 0.26, head: 0.1 } as const;

function pick(random: () => number, shares: Record<string, number>): string {
  let roll = random();
  const entries = Object.entries(shares);
  for (const [code, share] of entries) {
    roll -= share;
    if (roll < 0) return code;
  }
  return entries.at(-1)?.[0] as string;
}

/** One synthetic council's return: a team of 2 to 150 people (bigger councils, bigger teams), each person drawn at random. */
export function syntheticReturn(random: () => number, population: number | null, drift = 0): ReturnCounts {
  const scale = Math.min(1, Math.max(0, Math.log10(Math.max(population ?? 100_000, 20_000) / 20_000) / Math.log10(60)));
  const size = Math.max(2, Math.min(150, Math.round(2 + 148 * scale ** 1.6 * (0.5 + random()))));
  const counts = emptyCounts();
  for (let person = 0; person < size; person += 1) {
    const grade = pick(random, GRADE_SHARES) as (typeof GRADE_BANDS)[number];
    counts.headcount[grade] += 1;
    for (const dimension of DIMENSIONS) {
      let shares = SHARES[dimension.code] as Record<string, number>;
      // A small shift towards under-represented groups between years, so the trend has something to show.
      if (drift > 0 && dimension.underRepresented.length > 0)
        shares = Object.fromEntries(
          Object.entries(shares).map(([code, share]) => [code, dimension.underRepresented.includes(code) ? share * (1 + drift) : share]),
        );
      const code = pick(random, shares);
      const cells = counts.dimensions[dimension.code]?.[grade] as Record<string, number>;
      cells[code] = (cells[code] ?? 0) + 1;
    }
  }
  return counts;
}

const DEMO_OPPORTUNITIES: {
  organisation: string;
  kind: OpportunityKind;
  role: string;
  place: string;
  remote: WorkPlace;
  months: number;
  closesInDays: number;
  summary: string;
}[] = [
  {
    organisation: 'E07000178',
    kind: 'apprenticeship',
    role: 'Software developer apprentice (level 4)',
    place: 'Oxford',
    remote: 'hybrid',
    months: 24,
    closesInDays: 30,
    summary: 'Build and run the council’s online services with a small multidisciplinary team, studying one day a week.',
  },
  {
    organisation: 'E10000008',
    kind: 'apprenticeship',
    role: 'Data analyst apprentice (level 4)',
    place: 'Exeter',
    remote: 'hybrid',
    months: 18,
    closesInDays: 21,
    summary: 'Work with adult social care and highways data; learn SQL, statistics and how to explain figures.',
  },
  {
    organisation: 'E08000035',
    kind: 'secondment',
    role: 'Service designer secondment',
    place: 'Leeds',
    remote: 'hybrid',
    months: 6,
    closesInDays: 14,
    summary: 'Join the housing repairs redesign for six months and take the methods back to your council.',
  },
  {
    organisation: 'E08000009',
    kind: 'apprenticeship',
    role: 'IT support technician apprentice (level 3)',
    place: 'Stretford',
    remote: 'on-site',
    months: 15,
    closesInDays: 45,
    summary: 'Keep 2,000 staff working: devices, accounts and the service desk.',
  },
  {
    organisation: 'E09000033',
    kind: 'secondment',
    role: 'Product manager secondment: children’s services',
    place: 'London',
    remote: 'hybrid',
    months: 9,
    closesInDays: 28,
    summary: 'Lead a small team replacing a paper-based early help referral process.',
  },
  {
    organisation: 'E06000023',
    kind: 'secondment',
    role: 'Cyber security lead secondment',
    place: 'Bristol',
    remote: 'remote',
    months: 6,
    closesInDays: 20,
    summary: 'Help three neighbouring councils meet the Cyber Assessment Framework together.',
  },
  {
    organisation: 'E08000025',
    kind: 'apprenticeship',
    role: 'Digital marketing apprentice (level 3)',
    place: 'Birmingham',
    remote: 'on-site',
    months: 18,
    closesInDays: 35,
    summary: 'Plan and measure campaigns that move residents to online services.',
  },
  {
    organisation: 'E06000018',
    kind: 'apprenticeship',
    role: 'Cloud engineer apprentice (level 4)',
    place: 'Nottingham',
    remote: 'hybrid',
    months: 24,
    closesInDays: 40,
    summary: 'Move legacy servers to the cloud with an experienced platform team.',
  },
  {
    organisation: 'E08000003',
    kind: 'secondment',
    role: 'Data protection officer secondment',
    place: 'Manchester',
    remote: 'hybrid',
    months: 12,
    closesInDays: 18,
    summary: 'Cover a year’s leave and review data-sharing agreements across Greater Manchester.',
  },
  {
    organisation: 'E10000014',
    kind: 'secondment',
    role: 'User researcher secondment',
    place: 'Winchester',
    remote: 'remote',
    months: 4,
    closesInDays: 12,
    summary: 'Research how residents report highway defects, across a county and its districts.',
  },
  {
    organisation: 'E06000047',
    kind: 'apprenticeship',
    role: 'Business analyst apprentice (level 4)',
    place: 'Durham',
    remote: 'hybrid',
    months: 18,
    closesInDays: 50,
    summary: 'Map processes and write requirements for the revenues and benefits replacement.',
  },
  {
    organisation: 'E07000178',
    kind: 'secondment',
    role: 'Head of digital secondment (job share)',
    place: 'Oxford',
    remote: 'hybrid',
    months: 6,
    closesInDays: -5,
    summary: 'Closed: shown so the closing date can be seen enforced.',
  },
];

const FIRST_NAMES = [
  'Aisha',
  'Ben',
  'Chloe',
  'Dev',
  'Ella',
  'Femi',
  'Grace',
  'Hamza',
  'Isla',
  'Jack',
  'Kiran',
  'Leah',
  'Mo',
  'Nia',
  'Owen',
  'Priya',
  'Quinn',
  'Ravi',
  'Sara',
  'Tom',
];
const LAST_NAMES = [
  'Ahmed',
  'Brown',
  'Clarke',
  'Davies',
  'Evans',
  'Fraser',
  'Green',
  'Hussain',
  'Iqbal',
  'Jones',
  'Khan',
  'Lewis',
  'Mensah',
  'Nowak',
  'Okafor',
  'Patel',
];

/** What the workforce demo is loaded through. */
interface SeedServices {
  workforceRepository: WorkforceRepository;
  tablesService: TablesService;
  mentoringService: MentoringService;
  organisationsService: OrganisationsService;
  identityService: IdentityService;
  clock: Clock;
}

/** Synthetic returns for every current council for last year and this, and their publications, unless a year has some. */
async function seedReturns(services: SeedServices, councils: readonly Organisation[]): Promise<number> {
  const { workforceRepository, clock } = services;
  const thisYear = clock().getUTCFullYear();
  const years = [thisYear - 1, thisYear];
  let returns = 0;
  for (const [index, year] of years.entries()) {
    if ((await workforceRepository.countReturns(year)) > 0) continue;
    const random = seededRandom(20_251_130 + year);
    for (const council of councils) {
      const counts = syntheticReturn(random, council.population, index * 0.08);
      const returnId = await workforceRepository.insertReturn({ organisation_id: council.id, year, synthetic: true });
      await workforceRepository.insertReturnVersion({
        return_id: returnId,
        version: 1,
        counts,
        source: 'synthetic',
        correction_reason: '',
        submitted_by: null,
      });
      returns += 1;
    }
    if ((await workforceRepository.listPublications(year)).length === 0) await services.tablesService.publishYear(null, year);
  }
  return returns;
}

/** The demo opportunities, unless there are some. */
async function seedOpportunities(
  workforceRepository: WorkforceRepository,
  councils: readonly Organisation[],
  clock: Clock,
): Promise<number> {
  if ((await workforceRepository.countOpportunities()) > 0) return 0;
  let opportunities = 0;
  for (const item of DEMO_OPPORTUNITIES) {
    const council = councils.find((entry) => entry.gssCode === item.organisation);
    if (!council) continue;
    await workforceRepository.insertOpportunity({
      organisation_id: council.id,
      organisation_name: council.name,
      kind: item.kind,
      role: item.role,
      summary: item.summary,
      place: item.place,
      remote: item.remote,
      length_months: item.months,
      closing_date: isoDate(new Date(clock().getTime() + item.closesInDays * 86_400_000)),
      how_to_apply: `Email workforce@${item.place.toLowerCase().replace(/[^a-z]/g, '')}.example with a CV and a page on why this role (demo opportunity).`,
      created_by: null,
    });
    opportunities += 1;
  }
  return opportunities;
}

/** A synthetic mentoring round of 200 people, signed up with their choices and matched, unless there is a round. */
async function seedMentoringRound(services: SeedServices, councils: readonly Organisation[]): Promise<number> {
  const { workforceRepository } = services;
  if ((await workforceRepository.listRounds()).length > 0) return 0;
  const roundId = await services.mentoringService.openRound(null, 'Autumn 2026 (synthetic demo round)');
  const random = seededRandom(4242);
  const people = Array.from({ length: 200 }, (_, index) => {
    const first = FIRST_NAMES[index % FIRST_NAMES.length] as string;
    const last = LAST_NAMES[Math.floor(index / FIRST_NAMES.length) % LAST_NAMES.length] as string;
    const council = councils[Math.floor(random() * councils.length)];
    return {
      name: `${first} ${last} (synthetic)`,
      email: `mentoring-demo-${index + 1}@example.org`,
      organisation: council?.name ?? '',
      mentor: index < 60,
    };
  });
  const ids: number[] = [];
  for (const person of people) {
    ids.push(
      await workforceRepository.insertParticipant({
        round_id: roundId,
        user_id: null,
        name: person.name,
        email: person.email,
        organisation_name: person.organisation,
        side: person.mentor ? 'mentor' : 'mentee',
        leads_in: random() < 0.5 ? 'digital' : 'service',
        goals: person.mentor
          ? 'Share what I learnt leading change across services.'
          : 'Learn to lead a service redesign with digital colleagues.',
        preferences: '',
        capacity: person.mentor ? 1 + Math.floor(random() * 3) : 0,
        choices: [],
        bans: [],
        waitlisted_from: null,
      }),
    );
  }
  // Mentees rank up to five mentors; mentors name a few mentees they would especially like.
  const mentorIds = ids.slice(0, 60);
  const menteeIds = ids.slice(60);
  for (const [position, id] of ids.entries()) {
    const pool = position < 60 ? menteeIds : mentorIds;
    const choices = [...new Set(Array.from({ length: position < 60 ? 2 : 5 }, () => pool[Math.floor(random() * pool.length)] as number))];
    await workforceRepository.setParticipantChoices(id, choices);
  }
  await services.mentoringService.matchRound(null, roundId);
  return ids.length;
}

/** Loads the synthetic workforce demo. Safe to run again: what exists is left alone. */
export async function seedWorkforceDemo(services: SeedServices): Promise<{ returns: number; opportunities: number; participants: number }> {
  const { workforceRepository, organisationsService, clock } = services;
  const councils = await organisationsService.listCurrentPrincipalCouncils('England');
  const returns = await seedReturns(services, councils);
  // Priya Shah, Oxford's demo organisation admin, is also its workforce lead.
  const oxford = councils.find((council) => council.gssCode === 'E07000178');
  if (oxford) {
    const lead = await services.identityService.createUser(null, {
      email: 'priya.shah@oxford.gov.uk',
      name: 'Priya Shah',
      organisationId: oxford.id,
      role: 'organisation-admin',
    });
    await workforceRepository.addLead(oxford.id, lead.id, null);
  }

  const opportunities = await seedOpportunities(workforceRepository, councils, clock);
  const participants = await seedMentoringRound(services, councils);
  return { returns, opportunities, participants };
}
