/**
 * The register of data-sharing agreements: recording and changing them (every change a numbered version with
 * what changed), the lifecycle draft → agreed → active → under review → ended, the lawful-basis rules of
 * UK GDPR and the DPA 2018, DPIA warnings, review reminders, and each council's flows.
 */
import type { Actor } from '../../platform/actor.js';
import { recordAuditEvent } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { Mailer } from '../../platform/mail.js';
import type { SearchDocumentInput } from '../../platform/search.js';
import type { OrganisationsService } from '../organisations/index.js';
import {
  ARTICLE9_CONDITIONS,
  type Article9Condition,
  DPIA_TRIGGERS,
  type DpiaTrigger,
  LAWFUL_BASES,
  NEEDS_SCHEDULE1,
  NEXT_STATUSES,
  SCHEDULE1_CONDITIONS,
  type Schedule1Condition,
} from './agreements.labels.js';
import type { AgreementRow, DataSharingRepository, DataSharingTransaction } from './data-sharing.repository.js';
import { AGREEMENT_STATUSES, type AgreementStatus, DPIA_STATUSES, PARTY_ROLES, type PartyRole } from './data-sharing.tables.js';

export interface AgreementInput {
  title: string;
  purpose: string;
  lawfulBasis: string;
  specialCategory: boolean;
  article9Condition: string;
  schedule1Condition: string;
  dataSubjects: string;
  dataItems: string;
  standardSlugs: string[];
  dpiaStatus: string;
  dpiaOutcome: string;
  dpiaTriggers: string[];
  retention: string;
  security: string;
  reviewDate: string;
  signedOffRole: string;
  signedOffByName: string;
  signedOffOn: string;
  contactName: string;
  contactEmail: string;
  /** Other parties: organisation code or slug and role; the lead organisation is a controller unless listed. */
  parties: { organisation: string; role: string }[];
  leadRole: string;
}

export interface AgreementParty {
  name: string;
  slug: string;
  code: string | null;
  kind: string;
  role: PartyRole;
}

/** An agreement as anyone may see it: nothing personal (no names or emails of officers). */
export interface PublicAgreement {
  slug: string;
  title: string;
  purpose: string;
  status: AgreementStatus;
  lead: { name: string; slug: string };
  parties: AgreementParty[];
  lawfulBasis: string;
  specialCategory: boolean;
  article9Condition: string | null;
  schedule1Condition: string | null;
  dataSubjects: string;
  dataItems: string;
  standardSlugs: string[];
  dpiaStatus: string;
  dpiaOutcome: string;
  dpiaTriggers: string[];
  dpiaWarnings: string[];
  retention: string;
  security: string;
  reviewDate: string;
  reviewOverdue: boolean;
  signedOffRole: string;
  signedOffOn: string | null;
  version: number;
  updatedAt: string;
  url: string;
}

const FIELD_LABELS: Record<string, string> = {
  title: 'Title',
  purpose: 'Purpose',
  lawful_basis: 'Lawful basis',
  special_category: 'Special category data',
  article9_condition: 'Article 9 condition',
  schedule1_condition: 'Schedule 1 condition',
  data_subjects: 'Data subjects',
  data_items: 'Data shared',
  standard_slugs: 'Data standards',
  dpia_status: 'DPIA',
  dpia_outcome: 'DPIA outcome',
  dpia_triggers: 'High-risk processing',
  retention: 'Retention and disposal',
  security: 'Security',
  review_date: 'Review date',
  signed_off_role: 'Signed off by (role)',
  signed_off_on: 'Signed off on',
  status: 'Status',
  parties: 'Parties',
};
/** Personal fields: their changes are recorded as "changed", never with the values, so history stays public. */
const PERSONAL_FIELDS = new Set(['signed_off_by_name', 'contact_name', 'contact_email']);

const slugify = (text: string) =>
  text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80) || 'agreement';

const isDate = (text: string) => /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));

/** Warnings when the ICO's DPIA triggers apply and no DPIA has been done. */
export function dpiaWarnings(input: { dpiaStatus: string; dpiaTriggers: readonly string[]; specialCategory: boolean }): string[] {
  const triggers = input.dpiaTriggers.filter((trigger): trigger is DpiaTrigger => trigger in DPIA_TRIGGERS);
  if (triggers.length === 0 || input.dpiaStatus === 'done') return [];
  const named = triggers.map((trigger) => DPIA_TRIGGERS[trigger].toLowerCase()).join('; ');
  const warnings = [
    input.dpiaStatus === 'not-needed'
      ? `The ICO expects a data protection impact assessment for this sharing (${named}), but the DPIA is marked as not needed. Record why, or do one.`
      : `The ICO expects a data protection impact assessment before this sharing starts (${named}). The DPIA is not done yet.`,
  ];
  if (input.specialCategory && triggers.length >= 2)
    warnings.push(
      'Special category data combined with other high-risk processing: if the DPIA finds a high risk you cannot reduce, you must consult the ICO first.',
    );
  return warnings;
}

interface Dependencies {
  repository: DataSharingRepository;
  transaction: DataSharingTransaction;
  organisationsService: OrganisationsService;
  mailer: Mailer;
  clock: Clock;
  publicBaseUrl: string;
  listOrganisationAdminEmails: (organisationId: number) => Promise<string[]>;
  standardExists: (slug: string) => Promise<boolean>;
}

export function createAgreementsService(dependencies: Dependencies) {
  const { repository, transaction, organisationsService, mailer, clock, publicBaseUrl } = dependencies;
  const today = () => clock().toISOString().slice(0, 10);

  async function validate(input: AgreementInput, actor: Actor & { organisationId: number }) {
    const problems: { field: string; message: string }[] = [];
    const need = (value: string, field: string, message: string, max = 6000) => {
      if (!value.trim()) problems.push({ field, message });
      else if (value.length > max) problems.push({ field, message: `${FIELD_LABELS[field] ?? field} must be ${max} characters or fewer` });
    };
    need(input.title, 'title', 'Enter a title for the agreement', 300);
    need(input.purpose, 'purpose', 'Say what the sharing is for');
    need(input.dataSubjects, 'dataSubjects', 'Say whose data is shared (for example, “adults discharged from hospital”)');
    need(input.dataItems, 'dataItems', 'Say what data is shared');
    need(input.retention, 'retention', 'Say how long the data is kept and how it is disposed of');
    need(input.security, 'security', 'Say how the data is kept secure in transit and at rest');
    if (!(input.lawfulBasis in LAWFUL_BASES))
      problems.push({ field: 'lawfulBasis', message: 'Choose the lawful basis under UK GDPR Article 6' });
    let article9: Article9Condition | null = null;
    let schedule1: Schedule1Condition | null = null;
    if (input.specialCategory) {
      if (!(input.article9Condition in ARTICLE9_CONDITIONS))
        problems.push({
          field: 'article9Condition',
          message:
            'Special category data (health, ethnicity, religion, sexual orientation and others) can only be shared with an Article 9 condition: choose one',
        });
      else {
        article9 = input.article9Condition as Article9Condition;
        const part = NEEDS_SCHEDULE1[article9];
        if (part) {
          if (
            !(input.schedule1Condition in SCHEDULE1_CONDITIONS) ||
            !input.schedule1Condition.startsWith(part === 'part-1' ? 'p1-' : 'p2-')
          )
            problems.push({
              field: 'schedule1Condition',
              message: `${ARTICLE9_CONDITIONS[article9]} needs a condition from the Data Protection Act 2018, Schedule 1, ${part === 'part-1' ? 'Part 1' : 'Part 2'}: choose one`,
            });
          else schedule1 = input.schedule1Condition as Schedule1Condition;
        }
      }
    }
    if (!(DPIA_STATUSES as readonly string[]).includes(input.dpiaStatus))
      problems.push({ field: 'dpiaStatus', message: 'Say whether a DPIA has been done' });
    if (input.dpiaStatus === 'done' && !input.dpiaOutcome.trim())
      problems.push({
        field: 'dpiaOutcome',
        message: 'Give the DPIA’s outcome (for example, “low residual risk with the measures in section 5”)',
      });
    if (!isDate(input.reviewDate))
      problems.push({ field: 'reviewDate', message: 'Enter the review date as a real date, for example 2027-03-31' });
    if (input.signedOffOn && !isDate(input.signedOffOn))
      problems.push({ field: 'signedOffOn', message: 'Enter the sign-off date as a real date, for example 2026-04-01' });
    if (input.contactEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.contactEmail))
      problems.push({ field: 'contactEmail', message: 'Enter the contact’s email address, like name@council.gov.uk' });
    for (const slug of input.standardSlugs)
      if (!(await dependencies.standardExists(slug)))
        problems.push({ field: 'standardSlugs', message: `No data standard has the slug “${slug}”` });
    if (!(PARTY_ROLES as readonly string[]).includes(input.leadRole))
      problems.push({ field: 'leadRole', message: 'Choose your organisation’s role' });
    const parties: { organisationId: number; role: PartyRole; name: string }[] = [
      { organisationId: actor.organisationId, role: input.leadRole as PartyRole, name: actor.organisationName ?? '' },
    ];
    for (const [index, party] of input.parties.entries()) {
      if (!party.organisation.trim()) continue;
      if (!(PARTY_ROLES as readonly string[]).includes(party.role)) {
        problems.push({ field: `parties-${index}`, message: `Choose the role of ${party.organisation}` });
        continue;
      }
      try {
        const organisation = await organisationsService.getOrganisation(party.organisation.trim());
        if (parties.some((existing) => existing.organisationId === organisation.id)) continue;
        parties.push({ organisationId: organisation.id, role: party.role as PartyRole, name: organisation.name });
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        problems.push({
          field: `parties-${index}`,
          message: `No organisation in the register has the code “${party.organisation}”; add it to the register first`,
        });
      }
    }
    if (parties.length < 2) problems.push({ field: 'parties-0', message: 'Add at least one other organisation the data is shared with' });
    if (problems.length > 0) throw new InputError('The agreement could not be saved', problems);
    return {
      parties,
      values: {
        title: input.title.trim(),
        purpose: input.purpose.trim(),
        lawful_basis: input.lawfulBasis,
        special_category: input.specialCategory,
        article9_condition: article9,
        schedule1_condition: schedule1,
        data_subjects: input.dataSubjects.trim(),
        data_items: input.dataItems.trim(),
        standard_slugs: [...new Set(input.standardSlugs)],
        dpia_status: input.dpiaStatus as AgreementRow['dpia_status'],
        dpia_outcome: input.dpiaOutcome.trim(),
        dpia_triggers: input.dpiaTriggers.filter((trigger) => trigger in DPIA_TRIGGERS),
        retention: input.retention.trim(),
        security: input.security.trim(),
        review_date: input.reviewDate,
        signed_off_role: input.signedOffRole.trim(),
        signed_off_by_name: input.signedOffByName.trim(),
        signed_off_on: input.signedOffOn || null,
        contact_name: input.contactName.trim(),
        contact_email: input.contactEmail.trim(),
      },
    };
  }

  async function requireAgreement(slug: string): Promise<AgreementRow> {
    const row = await repository.findAgreementBySlug(slug);
    if (!row) throw new NotFoundError(`No data-sharing agreement has the address ${slug}`);
    return row;
  }

  type OrganisationSummary = { name: string; slug: string; code: string | null; kind: string };

  /** Names of organisations by id, asked of the organisations module in one call. */
  async function organisationsById(ids: readonly number[]): Promise<Map<number, OrganisationSummary>> {
    const found = await organisationsService.listOrganisationsByIds([...new Set(ids)]);
    return new Map(
      found.map((organisation) => [
        organisation.id,
        {
          name: organisation.name,
          slug: organisation.slug,
          code: organisation.gssCode ?? organisation.registryCode,
          kind: organisation.kind,
        },
      ]),
    );
  }

  async function organisationById(id: number): Promise<OrganisationSummary> {
    const found = (await organisationsById([id])).get(id);
    if (!found) throw new NotFoundError(`No organisation has the id ${id}`);
    return found;
  }

  async function partiesOf(rows: readonly AgreementRow[]): Promise<Map<number, AgreementParty[]>> {
    const parties = await repository.listParties(rows.map((row) => row.id));
    const organisations = await organisationsById([
      ...parties.map((party) => party.organisation_id),
      ...rows.map((row) => row.lead_organisation_id),
    ]);
    const byId = new Map<number, AgreementParty[]>();
    for (const party of parties) {
      const organisation = organisations.get(party.organisation_id);
      if (!organisation) continue;
      const list = byId.get(party.agreement_id) ?? [];
      list.push({ ...organisation, role: party.role });
      byId.set(party.agreement_id, list);
    }
    return byId;
  }

  function present(row: AgreementRow, parties: AgreementParty[]): PublicAgreement {
    const lead = parties[0] ?? { name: '', slug: '' };
    return {
      slug: row.slug,
      title: row.title,
      purpose: row.purpose,
      status: row.status,
      lead: { name: lead.name, slug: lead.slug },
      parties,
      lawfulBasis: row.lawful_basis,
      specialCategory: row.special_category,
      article9Condition: row.article9_condition,
      schedule1Condition: row.schedule1_condition,
      dataSubjects: row.data_subjects,
      dataItems: row.data_items,
      standardSlugs: row.standard_slugs,
      dpiaStatus: row.dpia_status,
      dpiaOutcome: row.dpia_outcome,
      dpiaTriggers: row.dpia_triggers,
      dpiaWarnings: dpiaWarnings({ dpiaStatus: row.dpia_status, dpiaTriggers: row.dpia_triggers, specialCategory: row.special_category }),
      retention: row.retention,
      security: row.security,
      reviewDate: row.review_date,
      reviewOverdue: row.status !== 'ended' && row.review_date < today(),
      signedOffRole: row.signed_off_role,
      signedOffOn: row.signed_off_on,
      version: row.version,
      updatedAt: row.updated_at.toISOString(),
      url: `/data-sharing/agreements/${row.slug}`,
    };
  }

  async function presentOne(row: AgreementRow): Promise<PublicAgreement> {
    const parties = (await partiesOf([row])).get(row.id) ?? [];
    const leadParty = await organisationById(row.lead_organisation_id);
    return { ...present(row, parties), lead: { name: leadParty.name, slug: leadParty.slug } };
  }

  function canManage(actor: Actor | null, row: AgreementRow): boolean {
    return actor !== null && (actor.role === 'platform-admin' || actor.organisationId === row.lead_organisation_id);
  }

  async function canSee(actor: Actor | null, row: AgreementRow): Promise<boolean> {
    if (row.status !== 'draft') return true;
    if (!actor) return false;
    if (actor.role === 'platform-admin') return true;
    const parties = await repository.listParties([row.id]);
    return parties.some((party) => party.organisation_id === actor.organisationId);
  }

  function diff(before: AgreementRow | null, after: Record<string, unknown>, parties: string | null, partiesBefore: string | null) {
    const changes: { field: string; before: string; after: string }[] = [];
    const text = (value: unknown): string =>
      value === null || value === undefined
        ? ''
        : Array.isArray(value)
          ? value.join(', ')
          : typeof value === 'string'
            ? value
            : typeof value === 'number' || typeof value === 'boolean'
              ? String(value)
              : JSON.stringify(value);
    for (const [field, value] of Object.entries(after)) {
      const old = before ? text((before as unknown as Record<string, unknown>)[field]) : '';
      if (old === text(value)) continue;
      if (PERSONAL_FIELDS.has(field)) changes.push({ field: 'Contact or signatory details', before: '', after: 'changed' });
      else changes.push({ field: FIELD_LABELS[field] ?? field, before: old, after: text(value) });
    }
    if (parties !== null && parties !== partiesBefore) changes.push({ field: 'Parties', before: partiesBefore ?? '', after: parties });
    return changes.filter((change, index, all) => all.findIndex((other) => other.field === change.field) === index);
  }

  const describeParties = (parties: readonly { name: string; role: PartyRole }[]) =>
    parties.map((party) => `${party.name} (${party.role})`).join('; ');

  return {
    /** Records a draft agreement led by the actor's organisation. */
    async createAgreement(actor: Actor & { organisationId: number }, input: AgreementInput): Promise<string> {
      const { values, parties } = await validate(input, actor);
      let slug = slugify(values.title);
      if (await repository.findAgreementBySlug(slug)) slug = `${slug}-${clock().getTime().toString(36)}`;
      return transaction(async (repo, trx) => {
        const row = await repo.insertAgreement({
          ...values,
          standard_slugs: JSON.stringify(values.standard_slugs),
          dpia_triggers: JSON.stringify(values.dpia_triggers),
          slug,
          status: 'draft',
          version: 1,
          lead_organisation_id: actor.organisationId,
          created_by_user_id: actor.userId,
          created_at: clock(),
          updated_at: clock(),
        });
        await repo.replaceParties(row.id, parties);
        await repo.insertAgreementVersion({
          agreement_id: row.id,
          version: 1,
          status: 'draft',
          changes: JSON.stringify(diff(null, values, describeParties(parties), null)),
          note: 'Recorded',
          changed_by_user_id: actor.userId,
        });
        await recordAuditEvent(trx, actor, {
          action: 'agreement.created',
          subjectType: 'data-sharing-agreement',
          subjectId: row.id,
          organisationId: actor.organisationId,
          before: null,
          after: { slug, title: row.title },
        });
        return slug;
      });
    },

    /** Demo and reference content: records an agreement for an organisation and moves it to a status; skipped when one has the title. */
    async addAgreementAsSystem(leadCode: string, input: AgreementInput, status: AgreementStatus): Promise<boolean> {
      const lead = await organisationsService.getOrganisation(leadCode);
      if (await repository.findAgreementBySlug(slugify(input.title))) return false;
      const system = {
        userId: 0,
        email: '',
        name: null,
        organisationId: lead.id,
        organisationName: lead.name,
        role: 'member',
        via: 'session',
        credentialId: 0,
        scopes: [],
      } satisfies Actor;
      const { values, parties } = await validate(input, system);
      await transaction(async (repo) => {
        const row = await repo.insertAgreement({
          ...values,
          standard_slugs: JSON.stringify(values.standard_slugs),
          dpia_triggers: JSON.stringify(values.dpia_triggers),
          slug: slugify(values.title),
          status,
          version: 1,
          lead_organisation_id: lead.id,
          created_by_user_id: null,
          created_at: clock(),
          updated_at: clock(),
        });
        await repo.replaceParties(row.id, parties);
        await repo.insertAgreementVersion({
          agreement_id: row.id,
          version: 1,
          status,
          changes: JSON.stringify(diff(null, values, describeParties(parties), null)),
          note: 'Recorded',
          changed_by_user_id: null,
        });
      });
      return true;
    },

    /** Changes an agreement's content: a new version with what changed. */
    async updateAgreement(actor: Actor & { organisationId: number }, slug: string, input: AgreementInput, note: string): Promise<void> {
      const row = await requireAgreement(slug);
      if (!canManage(actor, row)) throw new NotAllowedError('Only people at the lead organisation can change this agreement');
      if (row.status === 'ended') throw new ConflictError('This agreement has ended; record a new one instead');
      const { values, parties } = await validate({ ...input }, { ...actor, organisationId: row.lead_organisation_id });
      const before = await partiesOf([row]);
      const changes = diff(row, values, describeParties(parties), describeParties(before.get(row.id) ?? []));
      if (changes.length === 0) return;
      await transaction(async (repo, trx) => {
        await repo.updateAgreement(row.id, {
          ...values,
          standard_slugs: JSON.stringify(values.standard_slugs),
          dpia_triggers: JSON.stringify(values.dpia_triggers),
          version: row.version + 1,
          updated_at: clock(),
          ...(values.review_date !== row.review_date ? { review_reminded_on: null } : {}),
        });
        await repo.replaceParties(row.id, parties);
        await repo.insertAgreementVersion({
          agreement_id: row.id,
          version: row.version + 1,
          status: row.status,
          changes: JSON.stringify(changes),
          note: note.trim().slice(0, 1000),
          changed_by_user_id: actor.userId,
        });
        await recordAuditEvent(trx, actor, {
          action: 'agreement.updated',
          subjectType: 'data-sharing-agreement',
          subjectId: row.id,
          organisationId: row.lead_organisation_id,
          before: { version: row.version },
          after: { version: row.version + 1, changes: changes.map((change) => change.field) },
        });
      });
    },

    /** Moves an agreement along its lifecycle; agreeing needs a senior sign-off. */
    async changeStatus(actor: Actor, slug: string, status: string, note: string): Promise<void> {
      const row = await requireAgreement(slug);
      if (!canManage(actor, row)) throw new NotAllowedError('Only people at the lead organisation can change this agreement’s status');
      if (!(AGREEMENT_STATUSES as readonly string[]).includes(status) || !NEXT_STATUSES[row.status].includes(status as AgreementStatus))
        throw new InputError(`An agreement that is ${row.status} cannot become ${status}`, [
          { field: 'status', message: `Choose one of: ${NEXT_STATUSES[row.status].join(', ') || 'none (it has ended)'}` },
        ]);
      if ((status === 'agreed' || status === 'active') && (!row.signed_off_role || !row.signed_off_on || !row.signed_off_by_name))
        throw new InputError('A senior sign-off is needed first', [
          { field: 'status', message: 'Record who signed the agreement off (role, name and date) before it is agreed' },
        ]);
      await transaction(async (repo, trx) => {
        await repo.updateAgreement(row.id, { status: status as AgreementStatus, version: row.version + 1, updated_at: clock() });
        await repo.insertAgreementVersion({
          agreement_id: row.id,
          version: row.version + 1,
          status,
          changes: JSON.stringify([{ field: 'Status', before: row.status, after: status }]),
          note: note.trim().slice(0, 1000),
          changed_by_user_id: actor.userId,
        });
        await recordAuditEvent(trx, actor, {
          action: 'agreement.status',
          subjectType: 'data-sharing-agreement',
          subjectId: row.id,
          organisationId: row.lead_organisation_id,
          before: { status: row.status },
          after: { status },
        });
      });
    },

    /** One agreement as the public sees it, with what the viewer may do; drafts only for their parties. */
    async getAgreement(actor: Actor | null, slug: string) {
      const row = await requireAgreement(slug);
      if (!(await canSee(actor, row))) throw new NotFoundError(`No data-sharing agreement has the address ${slug}`);
      const versions = await repository.listAgreementVersions(row.id);
      return {
        agreement: await presentOne(row),
        versions: versions.map((version) => ({
          version: version.version,
          status: version.status,
          changes: version.changes,
          note: version.note,
          at: version.created_at.toISOString(),
        })),
        canManage: canManage(actor, row),
        nextStatuses: canManage(actor, row) ? NEXT_STATUSES[row.status] : [],
      };
    },

    /** The form's values for the lead organisation's people, personal fields included. */
    async getAgreementForEditing(actor: Actor, slug: string): Promise<{ input: AgreementInput; title: string }> {
      const row = await requireAgreement(slug);
      if (!canManage(actor, row)) throw new NotAllowedError('Only people at the lead organisation can change this agreement');
      const parties = (await repository.listParties([row.id])).filter((party) => party.organisation_id !== row.lead_organisation_id);
      const lead = (await repository.listParties([row.id])).find((party) => party.organisation_id === row.lead_organisation_id);
      const names = await organisationsById(parties.map((party) => party.organisation_id));
      const others = parties.map((party) => ({ organisation: names.get(party.organisation_id)?.slug ?? '', role: party.role }));
      return {
        title: row.title,
        input: {
          title: row.title,
          purpose: row.purpose,
          lawfulBasis: row.lawful_basis,
          specialCategory: row.special_category,
          article9Condition: row.article9_condition ?? '',
          schedule1Condition: row.schedule1_condition ?? '',
          dataSubjects: row.data_subjects,
          dataItems: row.data_items,
          standardSlugs: row.standard_slugs,
          dpiaStatus: row.dpia_status,
          dpiaOutcome: row.dpia_outcome,
          dpiaTriggers: row.dpia_triggers,
          retention: row.retention,
          security: row.security,
          reviewDate: row.review_date,
          signedOffRole: row.signed_off_role,
          signedOffByName: row.signed_off_by_name,
          signedOffOn: row.signed_off_on ?? '',
          contactName: row.contact_name,
          contactEmail: row.contact_email,
          parties: others,
          leadRole: lead?.role ?? 'controller',
        },
      };
    },

    /** A page of the register (drafts only for their parties), public fields only. */
    async listAgreements(
      actor: Actor | null,
      query: { q?: string; status?: string; organisation?: string; sort?: 'title' | 'updated' | 'review'; page: number; pageSize: number },
    ) {
      const organisationId = query.organisation ? (await organisationsService.getOrganisation(query.organisation)).id : undefined;
      const { total, rows } = await repository.listAgreements(
        { q: query.q, status: query.status, organisationId, draftsVisibleTo: actor?.organisationId ?? null, sort: query.sort ?? 'title' },
        { offset: (query.page - 1) * query.pageSize, limit: query.pageSize },
      );
      const parties = await partiesOf(rows);
      const leads = await organisationsById(rows.map((row) => row.lead_organisation_id));
      const items = rows.map((row) => {
        const lead = leads.get(row.lead_organisation_id) ?? { name: '', slug: '' };
        return { ...present(row, parties.get(row.id) ?? []), lead: { name: lead.name, slug: lead.slug } };
      });
      return { total, items };
    },

    /**
     * Every agreement as a search document: drafts only for the lead organisation's people, the rest for everyone;
     * nothing personal (no officer's name or email), as on the public page. Agreements are few: always all of them.
     */
    async listSearchDocuments(): Promise<SearchDocumentInput[]> {
      const rows = await repository.listAllAgreements();
      const parties = await partiesOf(rows);
      return rows.map((row) => {
        const names = (parties.get(row.id) ?? []).map((party) => party.name);
        return {
          type: 'agreement',
          key: row.slug,
          title: row.title,
          body: [
            row.purpose,
            `Shared between ${names.join(', ')}.`,
            `Data shared: ${row.data_items}`,
            `About: ${row.data_subjects}`,
            `Lawful basis: ${(LAWFUL_BASES as Record<string, string>)[row.lawful_basis] ?? row.lawful_basis}.`,
          ].join('\n'),
          url: `/data-sharing/agreements/${row.slug}`,
          visibility: row.status === 'draft' ? ('organisation' as const) : ('public' as const),
          ownerOrganisationId: row.lead_organisation_id,
          topics: row.standard_slugs.map((slug) => `data-standard:${slug}`),
          updatedAt: row.updated_at,
        };
      });
    },

    /** One organisation's flows: who it shares with, what and why (agreements in force only). */
    async listFlows(code: string) {
      const organisation = await organisationsService.getOrganisation(code);
      const { rows } = await repository.listAgreements(
        { organisationId: organisation.id, draftsVisibleTo: null, sort: 'title' },
        { offset: 0, limit: 500 },
      );
      const parties = await partiesOf(rows);
      const flows = rows.map((row) => {
        const all = parties.get(row.id) ?? [];
        return {
          agreement: { slug: row.slug, title: row.title, status: row.status, url: `/data-sharing/agreements/${row.slug}` },
          purpose: row.purpose,
          dataItems: row.data_items,
          lawfulBasis: row.lawful_basis,
          ownRole: all.find((party) => party.slug === organisation.slug)?.role ?? null,
          partners: all.filter((party) => party.slug !== organisation.slug),
        };
      });
      return { organisation: { name: organisation.name, slug: organisation.slug, code }, flows };
    },

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

export type AgreementsService = ReturnType<typeof createAgreementsService>;
