import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import { createServices, type Services } from '../../app/services.js';
import type { Actor } from '../../platform/actor.js';
import { listOutbox, type MailTables } from '../../platform/mail.js';
import { moduleDatabase } from '../../app/database-schema.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { buildUser, countAuditEvents, organisationId } from '../../../test/support/factories.js';
import { TEST_TODAY } from '../../../test/support/test-app.js';
import { runImportPubliccodeCommand, runRemindAdoptionsCommand } from './catalogue.cli.js';
import { seedCatalogueDemo } from './catalogue.seed.js';
import { addMonths } from './catalogue.records.js';
import type { AdoptionInput } from './catalogue.types.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/publiccode');
const readFixture = (name: string) => ({ fileName: name, text: fs.readFileSync(path.join(fixtures, name), 'utf8') });

const using = (overrides: Partial<AdoptionInput> = {}): AdoptionInput => ({
  status: 'using',
  since: '2024-01-01',
  evidenceKind: 'service-url',
  evidence: 'https://www.example.gov.uk/service',
  contactName: 'Pat Jones',
  contactEmail: 'pat.jones@example.gov.uk',
  contactAgrees: true,
  ...overrides,
});

function actorAt(user: { id: number; email: string }, organisation: number, role: Actor['role'] = 'member'): Actor {
  return {
    userId: user.id,
    email: user.email,
    name: 'Test Person',
    organisationId: organisation,
    organisationName: null,
    role,
    via: 'session',
    credentialId: 0,
    scopes: ['read', 'write'],
  };
}

describeEachEngine('the catalogue', ({ database }) => {
  let now = new Date(TEST_TODAY);
  let services: Services;

  beforeAll(async () => {
    services = createServices({ db: database().db, clock: () => new Date(now) });
    await seedCatalogueDemo(services);
  });

  it('imports the two real councils’ publiccode.yml files with names, descriptions, licences and maintainers intact', async () => {
    const amsterdam = await services.catalogueService.importPubliccode(null, readFixture('amsterdam-signals-frontend.publiccode.yml'));
    const milano = await services.catalogueService.importPubliccode(null, readFixture('comune-milano-whistleblowing.publiccode.yml'));
    expect(amsterdam).toMatchObject({ status: 'created', slug: 'signalen-frontend', errors: [] });
    expect(milano).toMatchObject({ status: 'created', errors: [] });

    const { component } = await services.catalogueService.getComponent('signalen-frontend');
    expect(component).toMatchObject({ name: 'Signalen frontend', licence: 'MPL-2.0', kind: 'software', publiccodeVersion: '0.2' });
    expect(component.summary.length).toBeGreaterThan(10);
    expect(component.description.length).toBeGreaterThan(component.summary.length);
    expect(component.maintainers.map((maintainer) => maintainer.name)).toContain('Gemeente Amsterdam');

    // Milan's file declares maintenance "none": no maintainers, which stewardship health then shows plainly.
    const second = await services.catalogueService.getComponent(milano.slug ?? '');
    expect(second.component).toMatchObject({ name: 'Whistleblowing', licence: 'AGPL-3.0-only', maintainers: [] });
    expect(second.component.summary).toContain('Whistleblowing è un applicativo');
    expect(second.stewardship.maintainingOrganisations).toEqual([]);

    // The export reads back as the same component.
    const yaml = await services.catalogueService.exportPubliccode('signalen-frontend');
    expect(yaml).toContain('publiccodeYmlVersion: "0.4"');
    expect(yaml).toContain('name: Signalen frontend');
    expect(yaml).toContain('license: MPL-2.0');
  });

  it('updates, never duplicates, when the same file is imported again', async () => {
    const before = await services.catalogueService.listComponents({ page: 1, pageSize: 100 });
    const again = await services.catalogueService.importPubliccode(null, readFixture('amsterdam-signals-frontend.publiccode.yml'));
    expect(again).toMatchObject({ status: 'updated', slug: 'signalen-frontend' });
    const after = await services.catalogueService.listComponents({ page: 1, pageSize: 100 });
    expect(after.total).toBe(before.total);
  });

  it('rejects a malformed file with its line number and writes nothing', async () => {
    const components = (await services.catalogueService.listComponents({ page: 1, pageSize: 100 })).total;
    const events = await countAuditEvents(database().db);
    const outcome = await services.catalogueService.importPubliccode(null, readFixture('malformed.publiccode.yml'));
    expect(outcome.status).toBe('rejected');
    expect(outcome.errors[0]).toMatchObject({ line: expect.any(Number) as number });
    expect(outcome.errors[0]?.message).toContain('malformed.publiccode.yml');
    expect((await services.catalogueService.listComponents({ page: 1, pageSize: 100 })).total).toBe(components);
    expect(await countAuditEvents(database().db)).toBe(events);
  });

  it('names every unknown field but still imports the file', async () => {
    const outcome = await services.catalogueService.importPubliccode(null, readFixture('unknown-fields.publiccode.yml'));
    expect(outcome.status).toBe('created');
    expect(outcome.warnings.map((warning) => warning.field)).toEqual(
      expect.arrayContaining(['fundingModel', 'maintainance', 'maintenance.contacts[0].twitter']),
    );
  });

  it('the command imports files and directories, one JSON line per file, and exits 1 when any file is refused', async () => {
    const lines: string[] = [];
    const code = await runImportPubliccodeCommand(['--json', fixtures, path.join(fixtures, 'no-such.publiccode.yml')], {
      catalogueService: services.catalogueService,
      stdout: { write: (text: string) => lines.push(...text.trim().split('\n')) },
      stderr: { write: () => undefined },
    });
    expect(code).toBe(1);
    const outcomes = lines.map((line) => JSON.parse(line) as { file: string; status: string; slug: string | null });
    expect(outcomes.map((outcome) => [path.basename(outcome.file), outcome.status])).toEqual([
      ['no-such.publiccode.yml', 'rejected'],
      ['amsterdam-signals-frontend.publiccode.yml', 'updated'],
      ['comune-milano-whistleblowing.publiccode.yml', 'updated'],
      // The early drafts' style is refused by the 0.4 standard (see the parser's tests).
      ['legacy-0-2-style.publiccode.yml', 'rejected'],
      ['malformed.publiccode.yml', 'rejected'],
      ['unknown-fields.publiccode.yml', 'updated'],
    ]);
  });

  it('counts adoption against the register: current English councils of every tier, not former councils, not stale declarations', async () => {
    const { catalogueService } = services;
    const slug = 'gov-uk-pay';
    const before = (await catalogueService.getComponent(slug)).adoption;
    expect(before.councils).toBe(317);

    const oxford = await organisationId(database().db, 'E07000178');
    const alex = actorAt(await buildUser(database().db, { organisationId: oxford }), oxford);
    await catalogueService.declareAdoption(alex, slug, using()); // district
    await catalogueService.declareAdoptionAsSystem('E09000007', slug, using()); // London borough
    await catalogueService.declareAdoptionAsSystem('E06000052', slug, using({ status: 'exploring' })); // unitary
    await catalogueService.declareAdoptionAsSystem('E08000035', slug, using({ status: 'piloting' })); // metropolitan
    await catalogueService.declareAdoptionAsSystem('E07000026', slug, using()); // Allerdale: abolished in 2023
    await catalogueService.declareAdoptionAsSystem('E08000009', slug, using(), 13); // Trafford: not confirmed for 13 months

    const { adoption, declarations } = await catalogueService.getComponent(slug);
    // Devon (a county) was already using it in the demo content.
    expect(adoption).toMatchObject({ councils: 317, using: 3, piloting: 1, exploring: 1, unconfirmed: 1, notCounted: 1 });
    expect(adoption.byCouncilType.find((row) => row.key === 'CTY')).toMatchObject({ councils: 21, using: 1 });
    expect(adoption.byCouncilType.find((row) => row.key === 'NMD')).toMatchObject({ using: 1 });
    expect(adoption.byCouncilType.find((row) => row.key === 'LBO')).toMatchObject({ councils: 32, using: 1 });
    expect(adoption.byCouncilType.find((row) => row.key === 'MD')).toMatchObject({ using: 0, piloting: 1 });
    expect(adoption.byRegion.find((row) => row.key === 'London')).toMatchObject({ councils: 33, using: 1 });
    expect(adoption.byRegion.reduce((sum, row) => sum + row.councils, 0)).toBe(317);
    expect(adoption.statusByGssCode.get('E07000178')).toBe('using');
    expect(adoption.statusByGssCode.get('E08000009')).toBe('unconfirmed');
    expect(adoption.statusByGssCode.has('E07000026')).toBe(false);
    expect(adoption.counties).toEqual([{ name: 'Devon', gssCode: 'E10000008', freshness: 'using' }]);
    expect(declarations.find((declaration) => declaration.organisation.gssCode === 'E07000026')?.countsTowardsRegister).toBe(false);

    // Re-confirming brings Trafford back into the count.
    const trafford = await organisationId(database().db, 'E08000009');
    const chris = actorAt(await buildUser(database().db, { organisationId: trafford }), trafford);
    await catalogueService.confirmAdoption(chris, slug);
    expect((await catalogueService.getComponent(slug)).adoption).toMatchObject({ using: 4, unconfirmed: 0 });
  });

  it('keeps the history of a declaration and leaves one audit event per write', async () => {
    const { catalogueService } = services;
    const leeds = await organisationId(database().db, 'E08000035');
    const jo = actorAt(await buildUser(database().db, { organisationId: leeds }), leeds);
    const events = await countAuditEvents(database().db);
    await catalogueService.declareAdoption(jo, 'bops', using({ status: 'exploring' }));
    await catalogueService.declareAdoption(jo, 'bops', using({ status: 'piloting', since: '2025-01-01' }));
    await catalogueService.confirmAdoption(jo, 'bops');
    expect(await countAuditEvents(database().db)).toBe(events + 3);
    const history = (await catalogueService.listAdoptionHistory('bops')).filter((entry) => entry.organisation.name === 'Leeds');
    expect(history.map((entry) => [entry.event, entry.status])).toEqual([
      ['confirmed', 'piloting'],
      ['changed', 'piloting'],
      ['declared', 'exploring'],
    ]);
  });

  it('refuses declarations that are incomplete, naming each field, and refuses suppliers', async () => {
    const oxford = await organisationId(database().db, 'E07000178');
    const person = actorAt(await buildUser(database().db, { organisationId: oxford }), oxford);
    await expect(
      services.catalogueService.declareAdoption(
        person,
        'bops',
        using({ status: 'sold', since: '2099-01-01', evidence: 'not a url', contactEmail: 'x' }),
      ),
    ).rejects.toMatchObject({
      problems: [
        { field: 'status', message: expect.any(String) as string },
        { field: 'since-day', message: 'Since must be today or in the past' },
        { field: 'evidence', message: 'A live service address must start with https:// or http://' },
        { field: 'contactEmail', message: expect.any(String) as string },
      ],
    });
    await expect(services.catalogueService.declareAdoption({ ...person, role: 'supplier' }, 'bops', using())).rejects.toThrow(
      'Only people at a council',
    );
  });

  it('reminds the contact of a declaration about to go stale, once every 30 days, and never a fresh one', async () => {
    const { catalogueService } = services;
    const start = now;
    try {
      // Only the demo's Leeds website declaration (last confirmed 14 months ago) is due: Trafford's was re-confirmed above.
      const lines: string[] = [];
      expect(await runRemindAdoptionsCommand({ catalogueService, stdout: { write: (text: string) => lines.push(text) } })).toBe(0);
      expect(lines).toEqual(['Reminded 1 adoption contact.\n']);
      const first = { reminded: 1 };
      const outbox = await listOutbox(moduleDatabase<MailTables>(database().db), 20);
      expect(outbox.find((message) => message.recipient === 'jo.evans@leeds.gov.uk')?.subject).toBe(
        'Is Leeds still using LocalGov Drupal?',
      );
      expect(outbox[0]?.body).toContain('/components/localgov-drupal/adoption');
      expect(outbox[0]?.body).toContain('no longer counts');
      expect((await catalogueService.remindAdoptionContacts()).reminded).toBe(0);
      now = new Date(start.getTime() + 31 * 86_400_000);
      expect((await catalogueService.remindAdoptionContacts()).reminded).toBe(first.reminded);
      // Eleven months after a confirmation, the fresh declarations fall due too.
      now = addMonths(start, 11);
      expect((await catalogueService.remindAdoptionContacts()).reminded).toBeGreaterThan(first.reminded);
    } finally {
      now = start;
    }
  });

  it('finds components by words in their description, and by a misspelt name, on this engine', async () => {
    const bySubject = await services.catalogueService.listComponents({ q: 'planning applications', page: 1, pageSize: 10 });
    expect(bySubject.items.map((item) => item.slug)).toEqual(expect.arrayContaining(['bops', 'planx']));
    const byTypo = await services.catalogueService.listComponents({ q: 'Notfy', page: 1, pageSize: 10 });
    expect(byTypo.items[0]?.slug).toBe('gov-uk-notify');
    const filtered = await services.catalogueService.listComponents({ kind: 'data-standard', page: 1, pageSize: 10 });
    // The register of data standards (reference data) adds its standards as components of this kind.
    expect(filtered.items.map((item) => item.slug)).toContain('open-referral-uk');
    expect(new Set(filtered.items.map((item) => item.kind))).toEqual(new Set(['data-standard']));
    const none = await services.catalogueService.listComponents({ q: 'zzzz qqqq', page: 1, pageSize: 10 });
    expect(none.total).toBe(0);
  });

  it('gives reuse credits by the published rules', async () => {
    const devon = await services.catalogueService.getReuseCredits('E10000008');
    // Devon: using GOV.UK Pay with a contact who agrees (5 + 3); exploring Open Referral UK earns nothing.
    expect(devon.counts).toEqual({ published: 0, using: 1, piloting: 0, referent: 1, confirmed: 0 });
    expect(devon.total).toBe(8);
    const list = await services.catalogueService.listReuseCredits();
    expect(list.every((entry, index) => index === 0 || (list[index - 1]?.total ?? 0) >= entry.total)).toBe(true);
  });

  it('never gives a component the address of one of the catalogue’s own pages', async () => {
    const oxford = await organisationId(database().db, 'E07000178');
    const person = actorAt(await buildUser(database().db, { organisationId: oxford }), oxford);
    const blank = {
      kind: 'template',
      summary: 'A template.',
      description: '',
      problem: '',
      serviceAreas: [],
      licence: '',
      codeRepositoryUrl: '',
    };
    const created = await services.catalogueService.createComponent(person, {
      ...blank,
      name: 'Compare',
      documentationUrl: '',
      developmentStatus: '',
      hostingOptions: [],
      costModel: '',
      supportedStandards: [],
      relatedSlugs: [],
      maintainingOrganisations: [],
      funding: '',
      releaseDate: '',
      softwareVersion: '',
      dpiaUrl: '',
      accessibilityStatementUrl: '',
      specificationUrl: '',
    });
    expect(created.slug).toBe('compare-component');
    expect(created.publisherOrganisationId).toBe(oxford);
  });

  it('compares up to three components and refuses a fourth', async () => {
    const compared = await services.catalogueService.compareComponents(['bops', 'planx']);
    expect(compared.map((entry) => entry.component.name)).toEqual(['BOPS', 'PlanX']);
    await expect(services.catalogueService.compareComponents(['bops', 'planx', 'gov-uk-pay', 'gov-uk-notify'])).rejects.toThrow(
      'Choose up to 3 components',
    );
  });
});
