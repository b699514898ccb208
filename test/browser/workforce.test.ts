import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Services } from '../../src/app/services.js';
import type { Role } from '../../src/platform/actor.js';
import { writeReturnCsv } from '../../src/modules/workforce/return-reader.js';
import { buildParticipant, buildReturnCounts, buildWorkforceLead } from '../../src/modules/workforce/workforce.factories.js';
import { launchChromium, listenOnLocalhost } from '../support/browser.js';
import { describeEachEngine } from '../support/engines.js';
import { buildUser, organisationId, startSession } from '../support/factories.js';
import { buildTestApp, TEST_TODAY } from '../support/test-app.js';
import { WorkforcePages } from './pages/workforce.page.js';

describeEachEngine(
  'journey: a lead submits a return, the table is published; a person signs up for mentoring, is matched and checks in',
  ({ database }) => {
    let app: FastifyInstance;
    let services: Services;
    let browser: Browser;
    let baseUrl: string;
    const contexts: BrowserContext[] = [];
    const year = TEST_TODAY.getUTCFullYear();

    async function browse(userId: number): Promise<WorkforcePages> {
      const context = await browser.newContext();
      contexts.push(context);
      await context.addCookies([{ name: 'commons_session', value: await startSession(database().db, userId), url: baseUrl }]);
      const page: Page = await context.newPage();
      page.setDefaultTimeout(10_000);
      return new WorkforcePages(page, baseUrl);
    }
    const person = async (organisation: number | null, role: Role) =>
      (await buildUser(database().db, { organisationId: organisation, role, name: `Journey ${role}` })).id;

    beforeAll(async () => {
      ({ app, services } = await buildTestApp(database()));
      baseUrl = await listenOnLocalhost(app);
      browser = await launchChromium();
    });
    afterAll(async () => {
      for (const context of contexts) await context.close();
      await browser?.close();
      await app?.close();
    });

    it('takes a CSV return, publishes the year, and shows the table with what was hidden', async () => {
      const oxford = await organisationId(database().db, 'E07000178');
      const lead = await browse((await buildWorkforceLead(database().db, oxford)).id);
      await lead.uploadReturn(year, {
        name: 'return.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(writeReturnCsv(buildReturnCounts({ practitioner: 14, senior: 4 }))),
      });
      expect(await lead.heading()).toContain('Return accepted');
      const admin = await browse(await person(null, 'platform-admin'));
      await admin.publish(year);
      expect(await admin.heading()).toContain(`Tables for ${year} published`);
      await admin.open(`/workforce/tables?year=${year}&level=council&dimension=sex`);
      expect(await admin.text('#what-was-hidden')).toContain('hidden');
      expect(await admin.text('#published-table')).toContain('[c]');
    });

    it('signs up for mentoring, is matched and checks in', async () => {
      const db = database().db;
      await db.updateTable('mentoring_rounds').set({ status: 'matched' }).where('status', '=', 'open').execute();
      const roundId = await services.mentoringService.openRound(null, 'Journey round');
      await buildParticipant(db, roundId, { side: 'mentor', leadsIn: 'service', capacity: 2 });
      const mentorName = await db
        .selectFrom('mentoring_participants')
        .select(['name', 'organisation_name', 'leads_in'])
        .where('round_id', '=', roundId)
        .executeTakeFirstOrThrow();
      const mentee = await browse(await person(await organisationId(db, 'E10000008'), 'member'));
      await mentee.signUpAsMentee(`${mentorName.name}, ${mentorName.organisation_name} (leads in ${mentorName.leads_in})`);
      expect(await mentee.heading()).toContain('You have signed up');
      const admin = await browse(await person(null, 'platform-admin'));
      await admin.open('/mentoring');
      await admin.raw.getByRole('button', { name: 'Match Journey round' }).click();
      expect(await admin.heading()).toContain('Round matched');
      await mentee.open('/mentoring');
      await mentee.raw.locator('#my-pairings a').first().click();
      expect(await mentee.text('#explanation')).toContain('first choice');
      await mentee.raw.fill('#note', 'We met and set three goals');
      await mentee.raw.getByRole('button', { name: 'Send check-in' }).click();
      expect(await mentee.heading()).toContain('Check-in saved');
    });
  },
);
