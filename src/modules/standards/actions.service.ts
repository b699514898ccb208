import type { Actor } from '../../platform/actor.js';
import { isoDate } from '../../platform/clock.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import { standardsPolicy } from './standards.policy.js';
import { createStandardsCore, DEFAULT_PUBLIC_BASE_URL, type StandardsCore, type StandardsDependencies } from './standards.core.js';

/** Actions from assessments: adding and completing them, each organisation's overview, and reminders when they are overdue. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createActionsService(deps: StandardsDependencies, core: StandardsCore = createStandardsCore(deps)) {
  const { standardsRepository, transaction, mailer, clock, publicBaseUrl = DEFAULT_PUBLIC_BASE_URL, listOrganisationAdminEmails } = deps;
  const { today, audit, requireAssessment } = core;

  return {
    /** Adds an action (what, who, by when) to an assessment. */
    async addAction(
      actor: Actor,
      id: number,
      input: { description: string; ownerName: string; ownerEmail: string; dueOn: string | null; pointNumber: number | null },
    ): Promise<void> {
      const assessment = await requireAssessment(id);
      if (!standardsPolicy.canSelfAssess(actor, assessment.organisation_id))
        throw new NotAllowedError('Only people at the assessed council can add its actions');
      const problems: { field: string; message: string }[] = [];
      const description = input.description.trim();
      const ownerName = input.ownerName.trim();
      const ownerEmail = input.ownerEmail.trim().toLowerCase();
      if (!description || description.length > 2000)
        problems.push({ field: 'actionDescription', message: 'Enter what needs to be done, up to 2,000 characters' });
      if (!ownerName || ownerName.length > 200) problems.push({ field: 'actionOwner', message: 'Enter who owns the action' });
      if (ownerEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(ownerEmail))
        problems.push({
          field: 'actionOwnerEmail',
          message: 'Enter the owner’s email address in the correct format, like name@council.gov.uk',
        });
      if (!input.dueOn) problems.push({ field: 'actionDue-day', message: 'Enter a real due date, for example 31 3 2027' });
      let pointId: number | null = null;
      if (input.pointNumber !== null) {
        const point = await standardsRepository.findPoint(assessment.version_id, input.pointNumber);
        if (!point) problems.push({ field: 'actionPoint', message: 'Choose one of the standard’s points' });
        pointId = point?.id ?? null;
      }
      if (problems.length > 0 || !input.dueOn) throw new InputError(problems.map((problem) => problem.message).join('. '), problems);
      const dueOn = input.dueOn;
      await transaction(async (repository, trx) => {
        const action = await repository.insertAction({
          assessment_id: id,
          organisation_id: assessment.organisation_id,
          point_id: pointId,
          description,
          owner_name: ownerName,
          owner_email: ownerEmail || null,
          due_on: dueOn,
        });
        await audit(trx, actor, {
          action: 'assessment-action.create',
          subjectType: 'assessment-action',
          subjectId: action.id,
          organisationId: assessment.organisation_id,
          before: null,
          after: { description, ownerName, dueOn: dueOn, pointNumber: input.pointNumber },
        });
      });
    },

    /** Marks an action done. */
    async completeAction(actor: Actor, actionId: number): Promise<number> {
      const action = await standardsRepository.findAction(actionId);
      if (!action) throw new NotFoundError('There is no such action');
      if (!standardsPolicy.canSelfAssess(actor, action.organisation_id))
        throw new NotAllowedError('Only people at the council can close its actions');
      if (action.done_on !== null) throw new ConflictError('This action is already done');
      await transaction(async (repository, trx) => {
        await repository.updateAction(actionId, { done_on: today() });
        await audit(trx, actor, {
          action: 'assessment-action.complete',
          subjectType: 'assessment-action',
          subjectId: actionId,
          organisationId: action.organisation_id,
          before: { doneOn: null },
          after: { doneOn: today() },
        });
      });
      return action.assessment_id;
    },

    /** The actor's organisation's assessments, peer reviews asked of it, overdue actions, and (for assessors) audits waiting. */
    async getOrganisationOverview(actor: Actor) {
      const organisationId = actor.organisationId;
      const [assessments, overdue, awaitingAudit] = await Promise.all([
        organisationId === null ? Promise.resolve([]) : standardsRepository.listAssessmentsForOrganisation(organisationId),
        organisationId === null ? Promise.resolve([]) : standardsRepository.listOverdueActions(today(), organisationId),
        standardsPolicy.canAudit(actor) ? standardsRepository.listAssessmentsAwaitingAudit() : Promise.resolve([]),
      ]);
      return {
        own: assessments.filter((assessment) => assessment.organisation_id === organisationId),
        peerReviews: assessments.filter((assessment) => assessment.peer_organisation_id === organisationId),
        overdue,
        awaitingAudit,
      };
    },

    /**
     * What an organisation's page shows of its standards: those it meets (its latest decided assessment of each says
     * "met") and the assessments under way. Public: the adoption pages publish the same outcomes.
     */
    async summariseOrganisationStandards(organisationId: number) {
      const own = (await standardsRepository.listAssessmentsForOrganisation(organisationId)).filter(
        (assessment) => assessment.organisation_id === organisationId,
      );
      const latestDecided = new Map<string, (typeof own)[number]>();
      // Newest first, so the first decided assessment of a standard is its latest.
      for (const assessment of own)
        if (assessment.outcome !== null && !latestDecided.has(assessment.standard_slug))
          latestDecided.set(assessment.standard_slug, assessment);
      const met = [...latestDecided.values()]
        .filter((assessment) => assessment.outcome === 'met')
        .map((assessment) => ({
          slug: assessment.standard_slug,
          title: assessment.standard_title,
          url: `/standards/${assessment.standard_slug}`,
        }));
      const underWay = own
        .filter((assessment) => assessment.outcome === null)
        .map((assessment) => ({ title: assessment.standard_title, serviceName: assessment.service_name, stage: assessment.stage }));
      return { met, underWay };
    },

    /**
     * Emails the owner of every overdue open action (or, with no owner's address, the council's admins), at most
     * once a week per action. Returns how many actions were reminded about.
     */
    async remindOverdueActions(): Promise<number> {
      const onDate = today();
      const weekAgo = isoDate(new Date(clock().getTime() - 7 * 86_400_000));
      const overdue = (await standardsRepository.listOverdueActions(onDate, null)).filter(
        (action) => action.last_reminded_on === null || action.last_reminded_on <= weekAgo,
      );
      let reminded = 0;
      for (const action of overdue) {
        const recipients = action.owner_email ? [action.owner_email] : await listOrganisationAdminEmails(action.organisation_id);
        if (recipients.length === 0) continue;
        for (const to of recipients) {
          await mailer.send({
            to,
            subject: `Overdue action for ${action.standard_title}: due ${action.due_on}`,
            text: [
              `An action from ${action.organisation_name}'s assessment of ${action.service_name ?? 'the organisation'} against ${action.standard_title} was due on ${action.due_on} and is not done yet.`,
              '',
              `Action: ${action.description}`,
              `Owner: ${action.owner_name}`,
              '',
              `Mark it done, or change the plan, at ${publicBaseUrl}/standards/assessments/${action.assessment_id}`,
            ].join('\n'),
          });
        }
        await transaction(async (repository, trx) => {
          await repository.updateAction(action.id, { last_reminded_on: onDate });
          await audit(trx, null, {
            action: 'assessment-action.remind',
            subjectType: 'assessment-action',
            subjectId: action.id,
            organisationId: action.organisation_id,
            before: { lastRemindedOn: action.last_reminded_on },
            after: { lastRemindedOn: onDate, recipients: recipients.length },
          });
        });
        reminded += 1;
      }
      return reminded;
    },
  };
}
