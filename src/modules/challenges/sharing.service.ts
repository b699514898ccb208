import type { Actor } from '../../platform/actor.js';
import { isoDate } from '../../platform/clock.js';
import { ConflictError } from '../../platform/errors.js';
import type { ShareInput } from './challenges.types.js';
import { challengePath } from './challenges.records.js';
import { validateShare } from './challenges.validation.js';
import { createChallengesCore, type ChallengesCore, type ChallengesDependencies } from './challenges.core.js';

/** Sharing: councils join and leave a challenge, and owners of stale challenges are reminded to keep them alive. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createSharingService(deps: ChallengesDependencies, core: ChallengesCore = createChallengesCore(deps)) {
  const { challengesRepository, transaction, mailer, clock, settings, listOrganisationAdminEmails } = deps;
  const { audit, staleCutoff, visibleChallenge, requireCouncil } = core;

  return {
    /** "We have this too": the actor's council joins a challenge with its own scale, budget, timing and comment. */
    async joinChallenge(actor: Actor, id: number, input: ShareInput): Promise<void> {
      const challenge = await visibleChallenge(id, actor);
      const organisation = await requireCouncil(actor);
      if (challenge.merged_into_id !== null) throw new ConflictError('This challenge was merged into another: join that one');
      const share = validateShare(input);
      await transaction(async (repository, trx) => {
        if (await repository.findActiveSharer(id, organisation.id))
          throw new ConflictError(`${organisation.name} already shares this challenge`);
        const row = await repository.insertSharer({
          challenge_id: id,
          organisation_id: organisation.id,
          joined_by: actor.userId,
          ...share,
        });
        await audit(trx, actor, {
          action: 'challenge.join',
          subjectType: 'challenge',
          subjectId: id,
          organisationId: organisation.id,
          before: null,
          after: { sharerId: row.id, organisationId: organisation.id, ...share },
        });
      });
    },

    /** The actor's council stops sharing a challenge (the owning council closes it instead). */
    async leaveChallenge(actor: Actor, id: number): Promise<void> {
      const challenge = await visibleChallenge(id, actor);
      const organisation = await requireCouncil(actor);
      if (organisation.id === challenge.owner_organisation_id)
        throw new ConflictError('The council that posted a challenge cannot leave it; close it instead');
      await transaction(async (repository, trx) => {
        const share = await repository.findActiveSharer(id, organisation.id);
        if (!share) throw new ConflictError(`${organisation.name} does not share this challenge`);
        const after = await repository.markSharerLeft(share.id, clock());
        await audit(trx, actor, {
          action: 'challenge.leave',
          subjectType: 'challenge',
          subjectId: id,
          organisationId: organisation.id,
          before: { sharerId: share.id, leftAt: null },
          after: { sharerId: share.id, leftAt: after.left_at?.toISOString() ?? null },
        });
      });
    },

    /** Asks the owners of challenges not updated for six months to confirm or close them; returns how many were asked. */
    async sendKeepAliveReminders(): Promise<number> {
      const due = await challengesRepository.listChallengesNeedingReminder(staleCutoff());
      for (const challenge of due) {
        const recipients = new Set([challenge.contact_email, ...(await listOrganisationAdminEmails(challenge.owner_organisation_id))]);
        await transaction(async (repository, trx) => {
          await repository.updateChallenge(challenge.id, { reminded_at: clock() });
          await audit(trx, null, {
            action: 'challenge.remind',
            subjectType: 'challenge',
            subjectId: challenge.id,
            organisationId: challenge.owner_organisation_id,
            before: { remindedAt: challenge.reminded_at?.toISOString() ?? null },
            after: { remindedAt: clock().toISOString(), recipients: [...recipients].filter(Boolean) },
          });
        });
        for (const recipient of recipients) {
          if (!recipient) continue;
          await mailer.send({
            to: recipient,
            subject: `Is this challenge still live? ${challenge.title}`,
            text: [
              `Nobody has updated the challenge “${challenge.title}” on Local Digital Commons since ${isoDate(challenge.updated_at)}.`,
              '',
              'Councils and suppliers use the pipeline to find live problems, so please confirm it is still live or close it:',
              `${settings.publicBaseUrl}${challengePath(challenge.id)}`,
              '',
              'Until then it is marked as stale in lists.',
            ].join('\n'),
          });
        }
      }
      return due.length;
    },
  };
}
