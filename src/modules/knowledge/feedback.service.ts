import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/actor.js';
import { recordAuditEvent } from '../../platform/audit.js';
import { InputError, NotAllowedError } from '../../platform/errors.js';
import { createFeedbackRepository, type FeedbackRow } from './feedback.repository.js';
import { knowledgePolicy } from './knowledge.policy.js';
import type { KnowledgeTables } from './knowledge.tables.js';

export interface FeedbackInput {
  body: string;
  doing: string;
  replyEmail: string;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Feedback about the service: anyone sends it (one audit event each); only platform admins read it. */
export function createFeedbackService({ db }: { db: Kysely<KnowledgeTables> }) {
  const repository = createFeedbackRepository(db);
  return {
    /** Keeps a piece of feedback, after checking it; refusals name each field. */
    async sendFeedback(actor: Actor | null, input: FeedbackInput): Promise<number> {
      const body = input.body.trim();
      const doing = input.doing.trim();
      const replyEmail = input.replyEmail.trim();
      const problems: { field: string; message: string }[] = [];
      if (!body) problems.push({ field: 'body', message: 'Tell us what you think' });
      if (body.length > 5000) problems.push({ field: 'body', message: 'Keep your feedback under 5,000 characters' });
      if (doing.length > 1000) problems.push({ field: 'doing', message: 'Keep what you were doing under 1,000 characters' });
      if (replyEmail && (replyEmail.length > 320 || !EMAIL_PATTERN.test(replyEmail)))
        problems.push({ field: 'replyEmail', message: 'Enter an email address in the correct format, like name@example.gov.uk' });
      if (problems.length > 0) throw new InputError(problems.map((problem) => problem.message).join('. '), problems);
      return db.transaction().execute(async (transaction) => {
        const trx: Kysely<KnowledgeTables> = transaction;
        const row = await createFeedbackRepository(trx).insertFeedback({
          body,
          doing,
          reply_email: replyEmail || null,
          user_id: actor?.userId ?? null,
        });
        await recordAuditEvent(trx, actor, {
          action: 'feedback.send',
          subjectType: 'feedback',
          subjectId: row.id,
          organisationId: actor?.organisationId ?? null,
          before: null,
          // What was said stays in the feedback table, read only by platform admins; the trail records that it came.
          after: { withReplyAddress: replyEmail !== '' },
        });
        return row.id;
      });
    },

    /** A page of feedback, newest first, for platform admins. */
    async listFeedback(actor: Actor, page: number, pageSize: number): Promise<{ rows: FeedbackRow[]; total: number }> {
      if (!knowledgePolicy.canReadFeedback(actor)) throw new NotAllowedError('Only platform admins can read feedback');
      const [rows, total] = await Promise.all([repository.listFeedback(pageSize, (page - 1) * pageSize), repository.countFeedback()]);
      return { rows, total };
    },
  };
}

export type FeedbackService = ReturnType<typeof createFeedbackService>;
