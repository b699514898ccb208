import type { Actor } from '../../platform/actor.js';
import { recordAuditEvent } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { Mailer } from '../../platform/mail.js';
import { matchMentoring, type MatchingMentee, type MatchingMentor } from './mentoring-matching.js';
import { workforcePolicy } from './workforce.policy.js';
import type { PairingRow, ParticipantRow, WorkforceRepository, WorkforceTransaction } from './workforce.repository.js';
import { LEADS_IN, type LeadsIn, MENTORING_SIDES, type MentoringSide } from './workforce.tables.js';

const DAY = 86_400_000;
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

/** The mentoring scheme: rounds, sign-up, stable matching, check-ins, endings and feedback. */
export function createMentoringService({
  workforceRepository,
  transaction,
  mailer,
  clock,
  publicBaseUrl,
}: {
  workforceRepository: WorkforceRepository;
  transaction: WorkforceTransaction;
  mailer: Mailer;
  clock: Clock;
  publicBaseUrl: string;
}) {
  function validateSignUp(input: SignUpInput, others: readonly ParticipantRow[]) {
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

  async function participantsOf(actor: Actor) {
    return workforceRepository.listParticipationsOfUser(actor.userId);
  }

  async function requirePairingMember(actor: Actor, pairingId: number): Promise<{ pairing: PairingRow; me: ParticipantRow }> {
    const pairing = await workforceRepository.findPairing(pairingId);
    if (!pairing) throw new NotFoundError('No such pairing');
    const mine = await participantsOf(actor);
    const me = mine.find((participant) => participant.id === pairing.mentor_id || participant.id === pairing.mentee_id);
    if (!me) throw new NotAllowedError('Only the two people in a pairing can do this');
    return { pairing, me };
  }

  return {
    /** The round open for sign-up (a new one is opened when none is), with the people already signed up. */
    async getOpenRound() {
      const round = (await workforceRepository.findOpenRound()) ?? null;
      const participants = round ? await workforceRepository.listParticipants(round.id) : [];
      return { round, participants };
    },

    /** Signs the person up to the open round as a mentor or mentee. */
    async signUp(actor: Actor, input: SignUpInput): Promise<number> {
      const round = await workforceRepository.findOpenRound();
      if (!round) throw new ConflictError('No mentoring round is open for sign-up just now');
      const others = await workforceRepository.listParticipants(round.id);
      if (others.some((person) => person.user_id === actor.userId)) throw new ConflictError('You have already signed up to this round');
      const values = validateSignUp(input, others);
      return transaction(async (repository, trx) => {
        const id = await repository.insertParticipant({
          round_id: round.id,
          user_id: actor.userId,
          name: actor.name ?? actor.email,
          email: actor.email,
          organisation_name: actor.organisationName ?? (input.organisationName ?? '').slice(0, 200),
          side: values.side,
          leads_in: values.leadsIn,
          goals: (input.goals ?? '').trim().slice(0, 2000),
          preferences: (input.preferences ?? '').trim().slice(0, 2000),
          capacity: values.capacity,
          choices: values.choices,
          bans: values.bans,
          waitlisted_from: null,
        });
        await recordAuditEvent(trx, actor, {
          action: 'mentoring.signed-up',
          subjectType: 'mentoring_participant',
          subjectId: id,
          organisationId: actor.organisationId,
          before: null,
          after: { round: round.id, side: values.side },
        });
        return id;
      });
    },

    /**
     * Matches a round (platform admins): stable matching with capacities, pairs stored with why they were made,
     * everyone told by email; unmatched people are carried to a new round's waitlist.
     */
    async matchRound(actor: Actor | null, roundId: number): Promise<{ pairs: number; waitlisted: number; nextRoundId: number }> {
      if (actor !== null && !workforcePolicy.canRunMentoring(actor)) throw new NotAllowedError('Only platform admins run mentoring rounds');
      const round = await workforceRepository.findRound(roundId);
      if (!round) throw new NotFoundError('No such round');
      if (round.status !== 'open') throw new ConflictError('This round has already been matched');
      const participants = await workforceRepository.listParticipants(roundId);
      const byId = new Map(participants.map((person) => [person.id, person]));
      const preferences = buildPreferences(participants);
      const result = matchMentoring(preferences.mentees, preferences.mentors);
      const pairedMentors = new Set(result.pairs.map((pair) => pair.mentor));
      const waiting = participants.filter(
        (person) =>
          (person.side === 'mentee' && result.unmatchedMentees.includes(person.id)) ||
          (person.side === 'mentor' && !pairedMentors.has(person.id)),
      );
      const outcome = await transaction(async (repository, trx) => {
        await repository.insertPairings(
          result.pairs.map((pair) => ({
            round_id: roundId,
            mentor_id: pair.mentor,
            mentee_id: pair.mentee,
            explanation: explainPairing(byId.get(pair.mentor) as ParticipantRow, byId.get(pair.mentee) as ParticipantRow),
          })),
        );
        await repository.markRoundMatched(roundId, clock());
        const nextRoundId = await repository.insertRound(`Round after ${round.name}`);
        for (const person of waiting) {
          const { id: _id, created_at: _created, ...rest } = person;
          await repository.insertParticipant({ ...rest, round_id: nextRoundId, choices: [], bans: [], waitlisted_from: roundId });
        }
        await recordAuditEvent(trx, actor, {
          action: 'mentoring.round.matched',
          subjectType: 'mentoring_round',
          subjectId: roundId,
          organisationId: null,
          before: null,
          after: { pairs: result.pairs.length, waitlisted: waiting.length },
        });
        return { pairs: result.pairs.length, waitlisted: waiting.length, nextRoundId };
      });
      for (const pair of result.pairs) {
        const mentor = byId.get(pair.mentor) as ParticipantRow;
        const mentee = byId.get(pair.mentee) as ParticipantRow;
        for (const [person, partner] of [
          [mentor, mentee],
          [mentee, mentor],
        ] as const)
          await mailer.send({
            to: person.email,
            subject: `You have a mentoring match: ${partner.name}`,
            text: `You have been matched with ${partner.name} (${partner.email}).\n\nWhy: ${explainPairing(mentor, mentee)}\n\nSee your pairing: ${publicBaseUrl}/mentoring`,
          });
      }
      for (const person of waiting)
        await mailer.send({
          to: person.email,
          subject: 'Mentoring: you are on the waitlist for the next round',
          text: `We could not match you in ${round.name}. You are on the waitlist for the next round, first in line.\n\n${publicBaseUrl}/mentoring`,
        });
      return outcome;
    },

    /** Everything needed to check a round's matching (platform admins): pairs, the unmatched, and every list. */
    async getRoundPairs(actor: Actor, roundId: number) {
      if (!workforcePolicy.canRunMentoring(actor)) throw new NotAllowedError('Only platform admins see a round’s pairs');
      const round = await workforceRepository.findRound(roundId);
      if (!round) throw new NotFoundError('No such round');
      const [participants, pairings] = await Promise.all([
        workforceRepository.listParticipants(roundId),
        workforceRepository.listPairings(roundId),
      ]);
      const person = (id: number) => {
        const found = participants.find((participant) => participant.id === id) as ParticipantRow;
        return { id, name: found.name, leadsIn: found.leads_in };
      };
      const paired = new Set(pairings.map((pairing) => pairing.mentee_id));
      return {
        round: { id: round.id, name: round.name, status: round.status },
        pairs: pairings.map((pairing) => ({
          mentor: person(pairing.mentor_id),
          mentee: person(pairing.mentee_id),
          status: pairing.status,
        })),
        unmatched: participants
          .filter((participant) => participant.side === 'mentee' && !paired.has(participant.id))
          .map((participant) => person(participant.id)),
        preferences: buildPreferences(participants),
      };
    },

    /** The person's sign-ups and pairings, with their partner and check-ins. */
    async getMyMentoring(actor: Actor) {
      const mine = await participantsOf(actor);
      const pairings = await workforceRepository.listPairingsOfParticipants(mine.map((participant) => participant.id));
      const items = [];
      for (const pairing of pairings) {
        const myself = mine.find(
          (participant) => participant.id === pairing.mentor_id || participant.id === pairing.mentee_id,
        ) as ParticipantRow;
        const partner = await workforceRepository.findParticipant(myself.id === pairing.mentor_id ? pairing.mentee_id : pairing.mentor_id);
        const checkIns = await workforceRepository.listCheckIns(pairing.id);
        items.push({
          id: pairing.id,
          role: myself.side,
          partner: partner
            ? { name: partner.name, email: partner.email, organisation: partner.organisation_name, leadsIn: partner.leads_in }
            : null,
          explanation: pairing.explanation,
          status: pairing.status,
          startedAt: pairing.started_at.toISOString().slice(0, 10),
          checkIns: checkIns.map((entry) => ({
            kind: entry.kind,
            note: entry.note,
            rating: entry.rating,
            mine: entry.participant_id === myself.id,
          })),
        });
      }
      return { signUps: mine, pairings: items };
    },

    /** A check-in, the end-of-pairing feedback, or a report that the partner does not answer. */
    async recordCheckIn(actor: Actor, pairingId: number, input: { kind?: string; note?: string; rating?: string | number }): Promise<void> {
      const { pairing, me } = await requirePairingMember(actor, pairingId);
      const kind = (['check-in', 'feedback', 'report'] as const).find((entry) => entry === input.kind) ?? 'check-in';
      const note = (input.note ?? '').trim();
      const rating = input.rating === undefined || input.rating === '' ? null : Number(input.rating);
      if (kind === 'feedback' && (rating === null || !Number.isInteger(rating) || rating < 1 || rating > 5))
        throw new InputError('Your feedback was not saved', [{ field: 'rating', message: 'Choose a rating from 1 to 5' }]);
      if (note === '' && kind !== 'feedback') throw new InputError('Nothing was saved', [{ field: 'note', message: 'Write a few words' }]);
      if (kind !== 'feedback' && pairing.status !== 'active') throw new ConflictError('This pairing has ended');
      await transaction(async (repository, trx) => {
        await repository.insertCheckIn({ pairing_id: pairingId, participant_id: me.id, kind, rating, note: note.slice(0, 4000) });
        if (kind === 'report')
          await repository.updatePairing(pairingId, { status: 'reported', ended_at: clock(), end_reason: 'partner not responding' });
        await recordAuditEvent(trx, actor, {
          action: `mentoring.${kind}`,
          subjectType: 'mentoring_pairing',
          subjectId: pairingId,
          organisationId: null,
          before: null,
          after: { kind },
        });
      });
    },

    /** Ends a pairing (either person), with a reason; feedback can follow. */
    async endPairing(actor: Actor, pairingId: number, reason: string): Promise<void> {
      const { pairing } = await requirePairingMember(actor, pairingId);
      if (pairing.status !== 'active') throw new ConflictError('This pairing has already ended');
      await transaction(async (repository, trx) => {
        await repository.updatePairing(pairingId, {
          status: 'ended',
          ended_at: clock(),
          end_reason: reason.trim().slice(0, 1000) || 'ended',
        });
        await recordAuditEvent(trx, actor, {
          action: 'mentoring.pairing.ended',
          subjectType: 'mentoring_pairing',
          subjectId: pairingId,
          organisationId: null,
          before: { status: pairing.status },
          after: { status: 'ended' },
        });
      });
    },

    /** Emails both people of each active pairing at one month and at three months. Safe to run daily. */
    async sendCheckInReminders(): Promise<number> {
      const now = clock();
      const due = await workforceRepository.listPairingsDueCheckIn(new Date(now.getTime() - 30 * DAY), new Date(now.getTime() - 91 * DAY));
      let sent = 0;
      for (const pairing of due) {
        const third = pairing.third_check_in_sent_at === null && pairing.started_at.getTime() <= now.getTime() - 91 * DAY;
        const [mentor, mentee] = await Promise.all([
          workforceRepository.findParticipant(pairing.mentor_id),
          workforceRepository.findParticipant(pairing.mentee_id),
        ]);
        for (const person of [mentor, mentee])
          if (person)
            await mailer.send({
              to: person.email,
              subject: third ? 'Mentoring: your three-month check-in' : 'Mentoring: your one-month check-in',
              text: `How is your mentoring going? Tell us in a minute, end the pairing, or tell us if your partner does not answer:\n${publicBaseUrl}/mentoring/pairings/${pairing.id}`,
            });
        await workforceRepository.updatePairing(
          pairing.id,
          third
            ? { third_check_in_sent_at: now, first_check_in_sent_at: pairing.first_check_in_sent_at ?? now }
            : { first_check_in_sent_at: now },
        );
        sent += 1;
      }
      return sent;
    },

    /** Opens a new round for sign-up (platform admins, or the seed with null). */
    async openRound(actor: Actor | null, name: string): Promise<number> {
      if (actor !== null && !workforcePolicy.canRunMentoring(actor))
        throw new NotAllowedError('Only platform admins open mentoring rounds');
      if (await workforceRepository.findOpenRound()) throw new ConflictError('A round is already open');
      return transaction(async (repository, trx) => {
        const id = await repository.insertRound(name.trim().slice(0, 200) || 'Mentoring round');
        await recordAuditEvent(trx, actor, {
          action: 'mentoring.round.opened',
          subjectType: 'mentoring_round',
          subjectId: id,
          organisationId: null,
          before: null,
          after: { name },
        });
        return id;
      });
    },

    listRounds: () => workforceRepository.listRounds(),

    /** For sector figures: pairs completed (ended after at least three months together) and pairs active now. */
    countPairingOutcomes: () => workforceRepository.countPairingOutcomes(COMPLETED_PAIRING_DAYS),
  };
}

/** A pairing that ended after this many days together (the three-month check-in) counts as completed. */
export const COMPLETED_PAIRING_DAYS = 90;

export type MentoringService = ReturnType<typeof createMentoringService>;
