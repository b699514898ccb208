/** The page of one spend import, as it goes: the column check, progress, and the result. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { InputError } from '../../platform/errors.js';
import { formatBytes } from '../../platform/format-bytes.js';
import type { FlashMessage } from '../../platform/http/flash.js';
import { formErrors, fieldErrors } from '../../platform/http/forms.js';
import { buildPagination } from '../../platform/http/lists.js';
import { requireSignedIn } from '../identity/index.js';
import type { DetectedLayout } from './ingest/index.js';
import { describeFileDates } from './spend-file-dates.js';
import { MAPPING_FIELDS, type MappingForm, type SpendImportsService } from './spend-imports.service.js';

const DELIMITER_NAMES: Record<string, string> = { ',': 'Comma', '\t': 'Tab', ';': 'Semicolon', '|': 'Vertical bar' };

/** Seconds between refreshes of a progress page. */
export const REFRESH_SECONDS = 2;

/** The mapping form's rows: each canonical field with a select of the file's columns, the chosen one selected. */
function mappingRows(layout: DetectedLayout, form: MappingForm | null) {
  return MAPPING_FIELDS.map(({ field, label, required }) => {
    const chosen = form ? (form[`map_${field}`] ?? '') : layout.mapping[field] === undefined ? '' : String(layout.mapping[field]);
    return {
      field,
      label,
      required,
      items: [
        { value: '', text: 'Not in this file', selected: chosen === '' },
        ...layout.headers.map((header, index) => ({
          value: String(index),
          text: header === '' ? `Column ${index + 1} (no heading)` : `${header} (column ${index + 1})`,
          selected: chosen === String(index),
        })),
      ],
    };
  });
}

/** The page of one import: its column check, its progress, or its result with the file's rejected rows. */
export async function renderImportPage(
  spendImportsService: Pick<SpendImportsService, 'getImport'>,
  request: FastifyRequest,
  reply: FastifyReply,
  id: number,
  options: { page?: number; form?: MappingForm; error?: InputError; stopRefreshing?: boolean } = {},
) {
  const actor = requireSignedIn(request);
  const view = await spendImportsService.getImport(actor, id, { rejectsPage: options.page ?? 1 });
  const { job } = view;
  reply.header('Cache-Control', 'no-store');
  const common = { job, replaces: view.replaces, bytes: { done: formatBytes(job.bytesProcessed), total: formatBytes(job.totalBytes) } };
  if (view.confirmation) {
    const layout = view.confirmation.layout;
    const mapped = MAPPING_FIELDS.filter(({ field }) => layout.mapping[field] !== undefined);
    return reply.status(options.error ? 400 : 200).render('spend/views/confirm.njk', {
      ...common,
      title: `Check the columns of ${job.fileName}`,
      layout,
      delimiterName: DELIMITER_NAMES[layout.delimiter] ?? `“${layout.delimiter}”`,
      readError: view.confirmation.error,
      organisationMismatch: view.confirmation.organisationMismatch,
      previouslyImported: view.confirmation.previouslyImported,
      mappingRows: mappingRows(layout, options.form ?? null),
      periodFrom: options.form?.periodFrom ?? job.periodFrom ?? '',
      periodTo: options.form?.periodTo ?? job.periodTo ?? '',
      previewHeads: mapped.map(({ label }) => label),
      previewRows: view.confirmation.rows.map((cells) => mapped.map(({ field }) => cells[layout.mapping[field] ?? -1] ?? '')),
      errorSummary: options.error ? formErrors(options.error) : undefined,
      errors: fieldErrors(options.error),
    });
  }
  if (job.kind === 'manifest') {
    const finished = job.status === 'done' || job.status === 'failed';
    if (!finished && !options.stopRefreshing) reply.header('Refresh', String(REFRESH_SECONDS));
    return reply.render('spend/views/bulk-progress.njk', {
      ...common,
      title: finished ? `Bulk import of ${job.fileName}: finished` : `Importing the files of ${job.fileName}`,
      finished,
      children: view.children,
      refreshing: !finished && !options.stopRefreshing,
      refreshSeconds: REFRESH_SECONDS,
    });
  }
  if (job.status === 'queued' || job.status === 'running') {
    // The HTTP Refresh header reloads the page without JavaScript, like a meta refresh; see the report on WCAG 2.2.1.
    if (!options.stopRefreshing) reply.header('Refresh', String(REFRESH_SECONDS));
    return reply.render('spend/views/progress.njk', {
      ...common,
      title: `Importing ${job.fileName}`,
      refreshing: !options.stopRefreshing,
      refreshSeconds: REFRESH_SECONDS,
    });
  }
  const rejects = view.rejects;
  return reply.render('spend/views/result.njk', {
    ...common,
    title: job.status === 'failed' ? `${job.fileName} could not be imported` : `${job.fileName}: import finished`,
    // The import's confirmation, in the place of the banner that said it had started.
    ...(job.status === 'done' && job.outcomeStatus === 'imported' && view.file && job.organisation
      ? { flash: importedConfirmation(job.fileName, view.file.rowsImported, job.organisation) }
      : {}),
    file: view.file,
    fileDates: view.file ? describeFileDates(view.file) : null,
    rejects,
    rejectsPagination: rejects ? buildPagination(`/spend/imports/${id}`, {}, rejects.page, rejects.pageSize, rejects.total) : undefined,
  });
}

/** What the result page of an imported file confirms: how many payments now count, and where to see them. */
function importedConfirmation(fileName: string, payments: number, organisation: { code: string; name: string }): FlashMessage {
  return {
    heading: `${payments.toLocaleString('en-GB')} ${payments === 1 ? 'payment' : 'payments'} from ${fileName} now count in ${organisation.name}’s spending`,
    text: 'Every figure of the council’s spending pages includes them from now on.',
    next: { href: `/spend/organisations/${encodeURIComponent(organisation.code)}`, text: `See ${organisation.name}’s spending` },
  };
}
