import type { Actor } from '../../platform/actor.js';
import { recordAuditEvent } from '../../platform/audit.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { MentoringDependencies } from './mentoring.core.js';
import type { PairingRow, ParticipantRow } from './workforce.repository.js';

const DAY = 86_400_000;

/**
 * Mentoring pairings: the person’s own, check-ins, feedback and reports, endings, and the reminders to check in. Over
 * 80 lines as a set of short methods sharing one set of dependencies.
 */
export function createMentoringPairingsService({ workforceRepository, transaction, mailer, clock, publicBaseUrl }: MentoringDependencies) {
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
  };
}
