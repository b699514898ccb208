import type { Actor } from '../../platform/actor.js';
import { recordAuditEvent } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { OrganisationsService } from '../organisations/index.js';
import type { ReadResult } from './return-reader.js';
import type { ReturnCounts } from './workforce.categories.js';
import { workforcePolicy } from './workforce.policy.js';
import type { WorkforceRepository, WorkforceTransaction } from './workforce.repository.js';

export interface OrganisationMember {
  id: number;
  email: string;
  name: string | null;
}

export interface OwnReturn {
  year: number;
  version: number;
  counts: ReturnCounts;
  synthetic: boolean;
  versions: { version: number; source: string; correctionReason: string; submittedAt: string }[];
}

/** The problems of a refused return as form errors: each says where (row and column, or field) and why. */
export function returnInputError(result: Extract<ReadResult, { ok: false }>, field = 'file'): InputError {
  return new InputError(
    'The return was not accepted; nothing was stored',
    result.problems.map((problem) => ({
      field: problem.row === null ? problem.column : field,
      message: problem.row === null ? problem.message : `Row ${problem.row}, column ${problem.column}: ${problem.message}`,
    })),
  );
}

/**
 * Diversity returns: who leads them for each organisation, and sending, correcting and reading one's own.
 * Over 80 lines as a set of short methods sharing one set of dependencies.
 */
export function createReturnsService({
  workforceRepository,
  transaction,
  organisationsService,
  listMembers,
  clock,
}: {
  workforceRepository: WorkforceRepository;
  transaction: WorkforceTransaction;
  organisationsService: OrganisationsService;
  /** An organisation's members, as its admin sees them (from the identity module). */
  listMembers: (actor: Actor, organisationId: number) => Promise<OrganisationMember[]>;
  clock: Clock;
}) {
  async function requireLead(actor: Actor): Promise<number> {
    const isLead = actor.organisationId !== null && (await workforceRepository.isWorkforceLead(actor.organisationId, actor.userId));
    if (!workforcePolicy.canHandleReturn(actor, isLead))
      throw new NotAllowedError(
        'Only your organisation’s workforce lead can see or send its diversity return. Ask an organisation admin to name you.',
      );
    return actor.organisationId as number;
  }

  async function requireCouncil(organisationId: number) {
    const council = (await organisationsService.listCurrentPrincipalCouncils('England')).find((entry) => entry.id === organisationId);
    if (!council) throw new NotAllowedError('Diversity returns are made by current principal councils in England');
    return council;
  }

  /** The organisation's members and which of them are workforce leads (its admins only). */
  async function listLeadCandidates(actor: Actor): Promise<(OrganisationMember & { lead: boolean })[]> {
    const organisationId = actor.organisationId;
    if (organisationId === null || !workforcePolicy.canDesignateLeads(actor, organisationId))
      throw new NotAllowedError('Only your organisation’s admins can name its workforce leads');
    const [members, leads] = await Promise.all([listMembers(actor, organisationId), workforceRepository.listLeadUserIds(organisationId)]);
    return members.map((member) => ({ ...member, lead: leads.includes(member.id) }));
  }

  return {
    /** Whether the person is their organisation's workforce lead. */
    isLead: async (actor: Actor | null): Promise<boolean> =>
      actor !== null && actor.organisationId !== null && (await workforceRepository.isWorkforceLead(actor.organisationId, actor.userId)),

    /** The organisation's own return for a year, with every version (the lead only), or null when none was sent. */
    async getOwnReturn(actor: Actor, year: number): Promise<OwnReturn | null> {
      const organisationId = await requireLead(actor);
      const row = await workforceRepository.findReturn(organisationId, year);
      if (!row) return null;
      const versions = await workforceRepository.listReturnVersions(row.id);
      const current = versions.find((version) => version.version === row.current_version);
      if (!current) throw new NotFoundError('The return has no current version');
      return {
        year,
        version: row.current_version,
        counts: current.counts,
        synthetic: row.synthetic,
        versions: versions.map((version) => ({
          version: version.version,
          source: version.source,
          correctionReason: version.correction_reason,
          submittedAt: version.submitted_at.toISOString(),
        })),
      };
    },

    /** Years for which the organisation has sent a return. */
    async listOwnReturnYears(actor: Actor): Promise<number[]> {
      const organisationId = await requireLead(actor);
      return (await workforceRepository.listOrganisationReturns(organisationId)).map((row) => row.year);
    },

    /**
     * Accepts a checked return, or a correction of one already sent (which needs a reason and is kept as a new
     * version). A refused return stores nothing.
     */
    async submitReturn(
      actor: Actor,
      input: { year: number; result: ReadResult; source: 'form' | 'csv' | 'api'; correctionReason?: string },
    ): Promise<{ version: number; corrected: boolean }> {
      const organisationId = await requireLead(actor);
      await requireCouncil(organisationId);
      const thisYear = clock().getUTCFullYear();
      if (!Number.isInteger(input.year) || input.year < 2020 || input.year > thisYear)
        throw new InputError('Choose a year', [{ field: 'year', message: `The year must be from 2020 to ${thisYear}` }]);
      if (!input.result.ok) throw returnInputError(input.result, input.source === 'csv' ? 'file' : 'year');
      const counts = input.result.counts;
      return transaction(async (repository, trx) => {
        const existing = await repository.findReturn(organisationId, input.year);
        const reason = (input.correctionReason ?? '').trim();
        if (existing && reason === '')
          throw new InputError('Say why the return is being corrected', [
            { field: 'correctionReason', message: `A return for ${input.year} was already sent: say what this correction changes and why` },
          ]);
        const returnId =
          existing?.id ?? (await repository.insertReturn({ organisation_id: organisationId, year: input.year, synthetic: false }));
        const version = existing ? existing.current_version + 1 : 1;
        await repository.insertReturnVersion({
          return_id: returnId,
          version,
          counts,
          source: input.source,
          correction_reason: existing ? reason.slice(0, 2000) : '',
          submitted_by: actor.userId,
        });
        if (existing) await repository.setCurrentVersion(returnId, version, clock());
        // The audit trail says a return was sent or corrected, never its figures.
        await recordAuditEvent(trx, actor, {
          action: existing ? 'workforce.return.corrected' : 'workforce.return.submitted',
          subjectType: 'workforce_return',
          subjectId: returnId,
          organisationId,
          before: existing ? { version: existing.current_version } : null,
          after: { year: input.year, version, reason: existing ? reason.slice(0, 2000) : undefined },
        });
        return { version, corrected: existing !== undefined };
      });
    },

    listLeadCandidates,

    /** Names a member of the admin's organisation as a workforce lead, or stops them being one. */
    /** Names or un-names a member as a workforce lead; returns the member, for the confirmation. */
    async setLead(actor: Actor, userId: number, lead: boolean): Promise<OrganisationMember> {
      const candidates = await listLeadCandidates(actor);
      const member = candidates.find((candidate) => candidate.id === userId);
      if (!member)
        throw new InputError('Choose a member of your organisation', [
          { field: 'userId', message: 'Choose a member of your organisation' },
        ]);
      const organisationId = actor.organisationId as number;
      await transaction(async (repository, trx) => {
        if (lead) await repository.addLead(organisationId, userId, actor.userId);
        else await repository.removeLead(organisationId, userId);
        await recordAuditEvent(trx, actor, {
          action: lead ? 'workforce.lead.named' : 'workforce.lead.removed',
          subjectType: 'user',
          subjectId: userId,
          organisationId,
          before: null,
          after: { lead },
        });
      });
      return member;
    },
  };
}

export type ReturnsService = ReturnType<typeof createReturnsService>;
