import type { Actor } from '../../platform/actor.js';
import { recordAuditEvent } from '../../platform/audit.js';
import { ConflictError, InputError, NotAllowedError } from '../../platform/errors.js';
import { NEXT_STATUSES } from './agreements.labels.js';
import type { AgreementsCore, AgreementsDependencies } from './agreements.core.js';
import { describeParties, diffAgreement, agreementSlug } from './agreements.rules.js';
import type { AgreementInput } from './agreements.types.js';
import { AGREEMENT_STATUSES, type AgreementStatus } from './data-sharing.tables.js';

/** Recording agreements and changing them: every change a numbered version with what changed, and the lifecycle draft → agreed → active → under review → ended. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createAgreementRecordsService(dependencies: AgreementsDependencies, core: AgreementsCore) {
  const { repository, transaction, organisationsService, clock } = dependencies;
  const { validate, requireAgreement, partiesOf, canManage } = core;
  type Validated = Awaited<ReturnType<typeof validate>>;
  type Repository = Parameters<Parameters<typeof transaction>[0]>[0];

  /** A new agreement at version 1, its parties, and the version record that says it was recorded. */
  async function insertFirstVersion(
    repo: Repository,
    { values, parties }: Validated,
    record: { slug: string; status: AgreementStatus; leadOrganisationId: number; userId: number | null },
  ) {
    const row = await repo.insertAgreement({
      ...values,
      standard_slugs: JSON.stringify(values.standard_slugs),
      dpia_triggers: JSON.stringify(values.dpia_triggers),
      slug: record.slug,
      status: record.status,
      version: 1,
      lead_organisation_id: record.leadOrganisationId,
      created_by_user_id: record.userId,
      created_at: clock(),
      updated_at: clock(),
    });
    await repo.replaceParties(row.id, parties);
    await repo.insertAgreementVersion({
      agreement_id: row.id,
      version: 1,
      status: record.status,
      changes: JSON.stringify(diffAgreement(null, values, describeParties(parties), null)),
      note: 'Recorded',
      changed_by_user_id: record.userId,
    });
    return row;
  }

  return {
    /** Records a draft agreement led by the actor's organisation. */
    async createAgreement(actor: Actor & { organisationId: number }, input: AgreementInput): Promise<string> {
      const validated = await validate(input, actor);
      let slug = agreementSlug(validated.values.title);
      if (await repository.findAgreementBySlug(slug)) slug = `${slug}-${clock().getTime().toString(36)}`;
      return transaction(async (repo, trx) => {
        const row = await insertFirstVersion(repo, validated, {
          slug,
          status: 'draft',
          leadOrganisationId: actor.organisationId,
          userId: actor.userId,
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
      if (await repository.findAgreementBySlug(agreementSlug(input.title))) return false;
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
      const validated = await validate(input, system);
      await transaction((repo) =>
        insertFirstVersion(repo, validated, {
          slug: agreementSlug(validated.values.title),
          status,
          leadOrganisationId: lead.id,
          userId: null,
        }),
      );
      return true;
    },

    /** Changes an agreement's content: a new version with what changed. */
    async updateAgreement(actor: Actor & { organisationId: number }, slug: string, input: AgreementInput, note: string): Promise<void> {
      const row = await requireAgreement(slug);
      if (!canManage(actor, row)) throw new NotAllowedError('Only people at the lead organisation can change this agreement');
      if (row.status === 'ended') throw new ConflictError('This agreement has ended; record a new one instead');
      const { values, parties } = await validate({ ...input }, { ...actor, organisationId: row.lead_organisation_id });
      const before = await partiesOf([row]);
      const changes = diffAgreement(row, values, describeParties(parties), describeParties(before.get(row.id) ?? []));
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
  };
}
