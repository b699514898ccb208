import type { Actor } from '../../platform/actor.js';
import type { Clock } from '../../platform/clock.js';
import { InputError, NotFoundError } from '../../platform/errors.js';
import type { Mailer } from '../../platform/mail.js';
import type { OrganisationsService } from '../organisations/index.js';
import { agreementValues, checkAgreementFields, dpiaWarnings } from './agreements.rules.js';
import type { AgreementInput, AgreementParty, PublicAgreement } from './agreements.types.js';
import type { AgreementRow, DataSharingRepository, DataSharingTransaction } from './data-sharing.repository.js';
import { PARTY_ROLES, type PartyRole } from './data-sharing.tables.js';

/** What the agreements' services are built from, wired once in src/app/services.ts. */
export interface AgreementsDependencies {
  repository: DataSharingRepository;
  transaction: DataSharingTransaction;
  organisationsService: OrganisationsService;
  mailer: Mailer;
  clock: Clock;
  publicBaseUrl: string;
  listOrganisationAdminEmails: (organisationId: number) => Promise<string[]>;
  standardExists: (slug: string) => Promise<boolean>;
}

type OrganisationSummary = { name: string; slug: string; code: string | null; kind: string };

/** What the agreements' use cases share: checking a form against the register, finding, presenting and who may see or change one. Over 80 lines as a set of short functions sharing one set of dependencies. */
export function createAgreementsCore(dependencies: AgreementsDependencies) {
  const { repository, organisationsService, clock } = dependencies;
  const today = () => clock().toISOString().slice(0, 10);

  /** Checks a form: its own fields, then its data standards and parties against the register. */
  async function validate(input: AgreementInput, actor: Actor & { organisationId: number }) {
    const { problems, article9, schedule1 } = checkAgreementFields(input);
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
    return { parties, values: agreementValues(input, article9, schedule1) };
  }

  async function requireAgreement(slug: string): Promise<AgreementRow> {
    const row = await repository.findAgreementBySlug(slug);
    if (!row) throw new NotFoundError(`No data-sharing agreement has the address ${slug}`);
    return row;
  }

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

  return { today, validate, requireAgreement, organisationsById, partiesOf, present, presentOne, canManage, canSee };
}

export type AgreementsCore = ReturnType<typeof createAgreementsCore>;
