import type { Actor } from '../../platform/actor.js';
import { recordAuditEvent } from '../../platform/audit.js';
import { ConflictError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import { matchMentoring } from './mentoring-matching.js';
import {
  buildPreferences,
  COMPLETED_PAIRING_DAYS,
  explainPairing,
  type MentoringDependencies,
  type SignUpInput,
  validateSignUp,
} from './mentoring.core.js';
import { workforcePolicy } from './workforce.policy.js';
import type { ParticipantRow } from './workforce.repository.js';

/**
 * Mentoring rounds: opening one, signing up, matching it with stable matching, and checking its pairs. Over 80 lines
 * as a set of short methods sharing one set of dependencies.
 */
export function createMentoringRoundsService({ workforceRepository, transaction, mailer, clock, publicBaseUrl }: MentoringDependencies) {
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
