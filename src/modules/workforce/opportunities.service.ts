import type { Actor } from '../../platform/actor.js';
import { recordAuditEvent } from '../../platform/audit.js';
import { type Clock, isoDate } from '../../platform/clock.js';
import { InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import { workforcePolicy } from './workforce.policy.js';
import type { OpportunityRow, WorkforceRepository, WorkforceTransaction } from './workforce.repository.js';
import { OPPORTUNITY_KINDS, type OpportunityKind, WORK_PLACES, type WorkPlace } from './workforce.tables.js';

export interface Opportunity {
  id: number;
  kind: OpportunityKind;
  role: string;
  summary: string;
  organisation: string;
  place: string;
  remote: WorkPlace;
  lengthMonths: number;
  closingDate: string;
  open: boolean;
  /** How to apply; empty once the closing date has passed. */
  howToApply: string;
  postedAt: string;
  url: string;
}

export interface OpportunityQuery {
  kind?: OpportunityKind | undefined;
  remote?: WorkPlace | undefined;
  q?: string | undefined;
  includeClosed?: boolean;
  sort?: 'closing' | 'newest' | undefined;
  page: number;
  pageSize: number;
}

export interface OpportunityInput {
  kind?: string;
  role?: string;
  summary?: string;
  place?: string;
  remote?: string;
  lengthMonths?: string | number;
  closingDate?: string;
  howToApply?: string;
}

/**
 * Apprenticeships and secondments that organisations post, open until their closing date.
 * Over 80 lines as a set of short methods sharing one set of dependencies.
 */
export function createOpportunitiesService({
  workforceRepository,
  transaction,
  clock,
}: {
  workforceRepository: WorkforceRepository;
  transaction: WorkforceTransaction;
  clock: Clock;
}) {
  const today = () => isoDate(clock());
  const present = (row: OpportunityRow): Opportunity => {
    const open = row.closing_date >= today();
    return {
      id: row.id,
      kind: row.kind,
      role: row.role,
      summary: row.summary,
      organisation: row.organisation_name,
      place: row.place,
      remote: row.remote,
      lengthMonths: row.length_months,
      closingDate: row.closing_date,
      open,
      howToApply: open ? row.how_to_apply : '',
      postedAt: row.created_at.toISOString(),
      url: `/workforce/opportunities/${row.id}`,
    };
  };

  function validate(input: OpportunityInput) {
    const problems: { field: string; message: string }[] = [];
    const kind = OPPORTUNITY_KINDS.find((entry) => entry === input.kind);
    if (!kind) problems.push({ field: 'kind', message: 'Choose apprenticeship or secondment' });
    const role = (input.role ?? '').trim();
    if (role === '' || role.length > 200) problems.push({ field: 'role', message: 'Enter the role, in 200 characters or fewer' });
    const remote = WORK_PLACES.find((entry) => entry === input.remote);
    if (!remote) problems.push({ field: 'remote', message: 'Choose on site, hybrid or remote' });
    const lengthMonths = Number(input.lengthMonths);
    if (!Number.isInteger(lengthMonths) || lengthMonths < 1 || lengthMonths > 60)
      problems.push({ field: 'lengthMonths', message: 'Enter the length in whole months, from 1 to 60' });
    const closingDate = (input.closingDate ?? '').trim();
    const latest = isoDate(new Date(clock().getTime() + 366 * 86_400_000));
    if (!/^\d{4}-\d{2}-\d{2}$/.test(closingDate) || Number.isNaN(Date.parse(closingDate)))
      problems.push({ field: 'closingDate', message: 'Enter the closing date as YYYY-MM-DD' });
    else if (closingDate < today()) problems.push({ field: 'closingDate', message: 'The closing date must be today or later' });
    else if (closingDate > latest) problems.push({ field: 'closingDate', message: 'The closing date must be within a year' });
    const howToApply = (input.howToApply ?? '').trim();
    if (howToApply === '') problems.push({ field: 'howToApply', message: 'Say how to apply: a link, an email address or the steps' });
    if (problems.length > 0) throw new InputError('The opportunity was not posted', problems);
    return {
      kind: kind as OpportunityKind,
      role,
      remote: remote as WorkPlace,
      length_months: lengthMonths,
      closing_date: closingDate,
      how_to_apply: howToApply.slice(0, 2000),
      summary: (input.summary ?? '').trim().slice(0, 4000),
      place: (input.place ?? '').trim().slice(0, 200),
    };
  }

  return {
    /** A page of opportunities, open ones only unless asked, soonest closing first. */
    async listOpportunities(query: OpportunityQuery): Promise<{ total: number; items: Opportunity[] }> {
      const { total, rows } = await workforceRepository.listOpportunities(
        { kind: query.kind, remote: query.remote, q: query.q, openOn: query.includeClosed ? undefined : today() },
        { offset: (query.page - 1) * query.pageSize, limit: query.pageSize },
        query.sort ?? 'closing',
      );
      return { total, items: rows.map(present) };
    },

    /** One opportunity; after its closing date it is still shown, marked closed, without how to apply. */
    async getOpportunity(id: number): Promise<Opportunity> {
      const row = await workforceRepository.findOpportunity(id);
      if (!row) throw new NotFoundError('No such opportunity');
      return present(row);
    },

    /** Posts an opportunity for the person's organisation. */
    async postOpportunity(actor: Actor, input: OpportunityInput): Promise<number> {
      if (!workforcePolicy.canPostOpportunity(actor) || actor.organisationId === null)
        throw new NotAllowedError('Only people in an organisation can post its opportunities');
      const values = validate(input);
      const organisationId = actor.organisationId;
      return transaction(async (repository, trx) => {
        const id = await repository.insertOpportunity({
          ...values,
          organisation_id: organisationId,
          organisation_name: actor.organisationName ?? '',
          created_by: actor.userId,
        });
        await recordAuditEvent(trx, actor, {
          action: 'workforce.opportunity.posted',
          subjectType: 'workforce_opportunity',
          subjectId: id,
          organisationId,
          before: null,
          after: values,
        });
        return id;
      });
    },

    /** Whether the person may post (to show or hide the link). */
    canPost: (actor: Actor | null) => actor !== null && workforcePolicy.canPostOpportunity(actor),
  };
}

export type OpportunitiesService = ReturnType<typeof createOpportunitiesService>;
