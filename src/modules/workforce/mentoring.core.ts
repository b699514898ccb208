import { InputError } from '../../platform/errors.js';
import type { Clock } from '../../platform/clock.js';
import type { Mailer } from '../../platform/mail.js';
import type { MatchingMentee, MatchingMentor } from './mentoring-matching.js';
import type { ParticipantRow, WorkforceRepository, WorkforceTransaction } from './workforce.repository.js';
import { LEADS_IN, type LeadsIn, MENTORING_SIDES, type MentoringSide } from './workforce.tables.js';

/** What the mentoring services share: the rules of sign-up, the preference lists and the words that explain a pair. */

export const MAX_CHOICES = 5;

export interface SignUpInput {
  side?: string;
  leadsIn?: string;
  goals?: string;
  preferences?: string;
  capacity?: string | number;
  organisationName?: string;
  choices?: readonly (string | number)[];
  bans?: readonly (string | number)[];
}

export interface Preferences {
  mentees: MatchingMentee[];
  mentors: MatchingMentor[];
}

const ordinal = (n: number) => ['first', 'second', 'third', 'fourth', 'fifth'][n] ?? `${n + 1}th`;

/**
 * Preference lists for a round: each person's ranked choices first (one per group), then everyone on the
 * other side who leads in the other field (a tie), then the rest (a tie). A ban by either person leaves the
 * pair out of both lists.
 */
export function buildPreferences(participants: readonly ParticipantRow[]): Preferences {
  const banned = (a: ParticipantRow, b: ParticipantRow) => a.bans.includes(b.id) || b.bans.includes(a.id);
  const listFor = (person: ParticipantRow, candidates: readonly ParticipantRow[]) => {
    const allowed = candidates.filter((candidate) => !banned(person, candidate));
    const chosen = person.choices.filter((id) => allowed.some((candidate) => candidate.id === id)).slice(0, MAX_CHOICES);
    const rest = allowed.filter((candidate) => !chosen.includes(candidate.id));
    const crossing = rest.filter((candidate) => candidate.leads_in !== person.leads_in).map((candidate) => candidate.id);
    const same = rest.filter((candidate) => candidate.leads_in === person.leads_in).map((candidate) => candidate.id);
    return [...chosen.map((id) => [id]), ...(crossing.length > 0 ? [crossing] : []), ...(same.length > 0 ? [same] : [])];
  };
  const mentors = participants.filter((person) => person.side === 'mentor' && person.capacity > 0);
  const mentees = participants.filter((person) => person.side === 'mentee');
  return {
    mentees: mentees.map((mentee) => ({ id: mentee.id, preferences: listFor(mentee, mentors) })),
    mentors: mentors.map((mentor) => ({ id: mentor.id, capacity: mentor.capacity, preferences: listFor(mentor, mentees) })),
  };
}

/** Why a pair was made, in words both people read. */
export function explainPairing(mentor: ParticipantRow, mentee: ParticipantRow): string {
  const reasons: string[] = [];
  const menteeRank = mentee.choices.indexOf(mentor.id);
  reasons.push(
    menteeRank >= 0
      ? `${mentee.name} chose ${mentor.name} as their ${ordinal(menteeRank)} choice.`
      : `${mentee.name} was matched with a mentor they did not name: the mentors they named had filled their places with people they had ranked higher, or had ruled them out.`,
  );
  const mentorRank = mentor.choices.indexOf(mentee.id);
  if (mentorRank >= 0) reasons.push(`${mentor.name} chose ${mentee.name} as their ${ordinal(mentorRank)} choice.`);
  if (mentor.leads_in !== mentee.leads_in)
    reasons.push(`${mentor.name} leads in ${mentor.leads_in} and ${mentee.name} leads in ${mentee.leads_in}, so the pair crosses over.`);
  reasons.push(
    'The match is stable: no mentor and mentee who would both rather be paired with each other were kept apart, and no mentor has more mentees than they offered.',
  );
  return reasons.join(' ');
}

/** A pairing that ended after this many days together (the three-month check-in) counts as completed. */
export const COMPLETED_PAIRING_DAYS = 90;

/** What the mentoring services work with. */
export interface MentoringDependencies {
  workforceRepository: WorkforceRepository;
  transaction: WorkforceTransaction;
  mailer: Mailer;
  clock: Clock;
  publicBaseUrl: string;
}

/** The sign-up's answers checked, with the chosen and ruled-out people kept to those on the other side. */
export function validateSignUp(input: SignUpInput, others: readonly ParticipantRow[]) {
  const problems: { field: string; message: string }[] = [];
  const side = MENTORING_SIDES.find((entry) => entry === input.side);
  if (!side) problems.push({ field: 'side', message: 'Choose whether you want to be a mentor or a mentee' });
  const leadsIn = LEADS_IN.find((entry) => entry === input.leadsIn);
  if (!leadsIn) problems.push({ field: 'leadsIn', message: 'Choose whether you lead in digital or in a service' });
  const capacity = side === 'mentor' ? Number(input.capacity) : 0;
  if (side === 'mentor' && (!Number.isInteger(capacity) || capacity < 1 || capacity > 5))
    problems.push({ field: 'capacity', message: 'Say how many mentees you can take, from 1 to 5' });
  const ids = (values: readonly (string | number)[] | undefined) =>
    [...new Set((values ?? []).map(Number).filter((id) => Number.isInteger(id) && id > 0))].filter((id) =>
      others.some((person) => person.id === id && person.side !== side),
    );
  const choices = ids(input.choices);
  if (choices.length > MAX_CHOICES) problems.push({ field: 'choices', message: `Choose up to ${MAX_CHOICES} people` });
  const bans = ids(input.bans);
  if (choices.some((id) => bans.includes(id))) problems.push({ field: 'bans', message: 'You chose and ruled out the same person' });
  if (problems.length > 0) throw new InputError('You were not signed up', problems);
  return { side: side as MentoringSide, leadsIn: leadsIn as LeadsIn, capacity, choices, bans };
}
