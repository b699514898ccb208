import type { AgreementsCore, AgreementsDependencies } from './agreements.core.js';

/** Review reminders: each agreement’s contact (or the lead organisation’s admins) is emailed when its review is within 30 days. */
export function createAgreementReviewsService(dependencies: AgreementsDependencies, core: AgreementsCore) {
  const { repository, mailer, clock, publicBaseUrl } = dependencies;
  const { today } = core;

  return {
    /** Emails each agreement's contact (or the lead organisation's admins) when its review is within 30 days. */
    async sendReviewReminders(): Promise<number> {
      const until = new Date(clock().getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
      const due = await repository.listAgreementsDueForReview(until);
      for (const row of due) {
        const recipients = row.contact_email
          ? [row.contact_email]
          : await dependencies.listOrganisationAdminEmails(row.lead_organisation_id);
        const overdue = row.review_date < today();
        for (const to of recipients)
          await mailer.send({
            to,
            subject: `${overdue ? 'Overdue' : 'Due'} for review: ${row.title}`,
            text: [
              `The data-sharing agreement “${row.title}” is due for review on ${row.review_date}${overdue ? ' (the date has passed)' : ''}.`,
              '',
              'Check that the sharing is still needed, that the lawful basis, DPIA and security still hold, and record the review (a new review date) or end the agreement:',
              `${publicBaseUrl}/data-sharing/agreements/${row.slug}`,
            ].join('\n'),
          });
        await repository.markReviewReminded(row.id, today());
      }
      return due.length;
    },
  };
}
