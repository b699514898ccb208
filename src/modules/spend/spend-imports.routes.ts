import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_LIMITS } from '../../platform/limits.js';
import { formatBytes } from '../../platform/format-bytes.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../platform/actor.js';
import { describeAccess } from '../../platform/http/access.js';
import { InputError, NotAllowedError } from '../../platform/errors.js';
import type { FlashMessage } from '../../platform/http/flash.js';
import { buildPagination } from '../../platform/http/lists.js';
import type { IdentityService } from '../identity/index.js';
import { requireSignedIn } from '../identity/index.js';
import type { DetectedLayout } from './ingest/index.js';
import { MAPPING_FIELDS, type MappingForm, type SpendImportsService } from './spend-imports.service.js';
import type { SpendImportRunner } from './spend.jobs.js';
import { describeFileDates } from './spend-file-dates.js';
import { spendPolicy } from './spend.policy.js';
import type { SpendService, StoredSpendFile } from './spend.service.js';
import { formErrors, fieldErrors } from '../../platform/http/forms.js';
import { idParamsSchema } from '../../platform/http/ids.js';

export interface SpendImportRouteDependencies {
  spendService: SpendService;
  spendImportsService: SpendImportsService;
  identityService: Pick<IdentityService, 'getAccount'>;
  runner: Pick<SpendImportRunner, 'wake'>;
  /** Largest spending file accepted, in bytes (MAX_UPLOAD_SPEND_BYTES). */
  maxUploadBytes?: number;
}

const idParams = idParamsSchema;
const codeParams = z.object({ code: z.string().min(1).max(100) });
const mappingBody = z
  .object({
    periodFrom: z.string().max(20).optional(),
    periodTo: z.string().max(20).optional(),
    organisationMismatch: z.enum(['accept']).optional(),
    _csrf: z.string().optional(),
    ...Object.fromEntries(MAPPING_FIELDS.map(({ field }) => [`map_${field}`, z.string().max(10).optional()])),
  })
  .strict();

const DELIMITER_NAMES: Record<string, string> = { ',': 'Comma', '\t': 'Tab', ';': 'Semicolon', '|': 'Vertical bar' };

/** Seconds between refreshes of a progress page. */
const REFRESH_SECONDS = 2;

const jobSchema = z.object({
  id: z.number().int(),
  kind: z.enum(['file', 'manifest']),
  parentId: z.number().int().nullable(),
  status: z.enum(['awaiting-confirmation', 'queued', 'running', 'done', 'failed']),
  fileName: z.string(),
  organisation: z.object({ id: z.number().int(), code: z.string(), name: z.string() }).nullable(),
  totalBytes: z.number().int().describe('Size of the file (for a manifest, of all its files)'),
  bytesProcessed: z.number().int(),
  rowsProcessed: z.number().int(),
  percent: z.number().int().min(0).max(100),
  periodFrom: z.string().nullable(),
  periodTo: z.string().nullable(),
  fileId: z.number().int().nullable().describe('The imported file, once done: see /api/v1/spend/files/{id}'),
  outcomeStatus: z.enum(['imported', 'duplicate', 'rejected']).nullable(),
  errors: z.array(z.string()),
  warnings: z.array(z.string()),
  error: z.string().nullable().describe('Why the job failed, when it did'),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

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

/** Upload pages for councils, the bulk manifest page for the institute, progress and result pages, and the jobs API. */
export function registerSpendImportRoutes(app: FastifyInstance, dependencies: SpendImportRouteDependencies): void {
  const { spendService, spendImportsService, identityService, runner, maxUploadBytes = DEFAULT_LIMITS.uploadBytes.spend } = dependencies;
  const api = app.withTypeProvider<ZodTypeProvider>();

  const renderUploadForm = async (
    reply: FastifyReply,
    actor: Actor,
    organisation: { id: number; name: string; gssCode: string | null; slug: string },
    error?: InputError,
  ) =>
    reply
      .status(error ? 400 : 200)
      .header('Cache-Control', 'no-store')
      .render('spend/views/upload.njk', {
        title: `Upload a spending file for ${organisation.name}`,
        breadcrumbs: [
          { text: 'Home', href: '/' },
          { text: 'Spending', href: '/spend' },
          { text: organisation.name, href: `/spend/organisations/${encodeURIComponent(organisation.gssCode ?? organisation.slug)}` },
        ],
        organisation: { ...organisation, code: organisation.gssCode ?? organisation.slug },
        recent: await spendImportsService.listRecentImports(actor, organisation.id),
        canBulkImport: spendPolicy.canBulkImport(actor),
        errorSummary: error ? formErrors(error) : undefined,
        fileError: error ? (fieldErrors(error).file ?? { text: error.message }) : undefined,
      });

  api.get(
    '/spend/imports/new',
    { schema: { hide: true, querystring: z.object({ organisation: z.string().max(100).optional() }) } },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      let code = request.query.organisation?.trim();
      if (!code && actor.organisationId !== null && spendPolicy.canImportFor(actor, actor.organisationId)) {
        const own = (await identityService.getAccount(actor)).organisation;
        code = own ? (own.gss_code ?? own.slug) : undefined;
      }
      const refuse = () =>
        reply
          .status(403)
          .header('Cache-Control', 'no-store')
          .render('access-needed.njk', {
            title: 'Upload a spending file',
            access: describeAccess(actor, 'council', 'upload a council’s spending files', request.url),
            back: { href: '/spend', text: 'Back to spend and contracts' },
          });
      if (!code) {
        if (actor.role !== 'platform-admin') return refuse();
        return reply.header('Cache-Control', 'no-store').render('spend/views/choose-organisation.njk', {
          title: 'Which organisation’s spending file is it?',
          canBulkImport: true,
        });
      }
      let organisation;
      try {
        organisation = await spendImportsService.organisationForImport(actor, code);
      } catch (error) {
        if (error instanceof NotAllowedError) return refuse();
        throw error;
      }
      return renderUploadForm(reply, actor, organisation);
    },
  );

  api.post('/spend/organisations/:code/imports', { schema: { hide: true, params: codeParams } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    // Who may upload is decided before a byte of the file is read.
    const organisation = await spendImportsService.organisationForImport(actor, request.params.code);
    const noFile = new InputError('Choose a CSV file to upload', [{ field: 'file', message: 'Choose a CSV file to upload' }]);
    if (!request.isMultipart()) return renderUploadForm(reply, actor, organisation, noFile);
    const data = await request.file({ limits: { fileSize: maxUploadBytes } });
    if (!data || data.fieldname !== 'file' || data.filename === '') {
      data?.file.resume();
      return renderUploadForm(reply, actor, organisation, noFile);
    }
    let id: number;
    try {
      id = await spendImportsService.createUpload(actor, organisation, { fileName: data.filename, stream: data.file });
      if (data.file.truncated)
        throw new InputError('The file is too big', [
          { field: 'file', message: `The selected file must be smaller than ${formatBytes(maxUploadBytes)}` },
        ]);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return renderUploadForm(reply, actor, organisation, error);
    }
    return reply
      .flash({
        heading: `${data.filename} is uploaded`,
        text: `It is being read now for ${organisation.name}; this page shows what happens next.`,
      })
      .redirect(`/spend/imports/${id}`, 303);
  });

  const renderImport = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    options: { page?: number; form?: MappingForm; error?: InputError; stopRefreshing?: boolean } = {},
  ) => {
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
  };

  api.get(
    '/spend/imports/:id',
    {
      schema: {
        hide: true,
        params: idParams,
        querystring: z.object({ page: z.coerce.number().int().min(1).default(1), refresh: z.enum(['off']).optional() }),
      },
    },
    async (request, reply) =>
      renderImport(request, reply, request.params.id, { page: request.query.page, stopRefreshing: request.query.refresh === 'off' }),
  );

  for (const action of ['mapping', 'confirm'] as const) {
    api.post(`/spend/imports/:id/${action}`, { schema: { hide: true, params: idParams, body: mappingBody } }, async (request, reply) => {
      const actor = requireSignedIn(request);
      const form = request.body as MappingForm;
      try {
        if (action === 'mapping') await spendImportsService.saveMapping(actor, request.params.id, form);
        else await spendImportsService.confirmImport(actor, request.params.id, form);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderImport(request, reply, request.params.id, { form, error });
      }
      if (action === 'confirm') runner.wake();
      return reply
        .flash(
          action === 'confirm'
            ? { heading: 'The columns are confirmed', text: 'The file is being imported now; this page shows when it has finished.' }
            : { heading: 'The column choices are saved', text: 'Check the preview, then confirm them to import the file.' },
        )
        .redirect(`/spend/imports/${request.params.id}${action === 'mapping' ? '#mapping' : ''}`, 303);
    });
  }

  api.get(
    '/api/v1/spend/jobs/:id',
    {
      schema: {
        tags: ['Spend'],
        summary: 'Progress of a spend import',
        description:
          'The state of an upload or bulk import: queued, running (rows and bytes so far), done (with the imported file) or failed. Needs an API token of someone who may see the import.',
        params: idParams,
        response: { 200: jobSchema.extend({ files: z.array(jobSchema).describe('For a bulk import, each of its files') }) },
      },
    },
    async (request) => spendImportsService.getProgress(requireSignedIn(request), request.params.id),
  );

  const renderBulkForm = (reply: FastifyReply, error?: InputError) =>
    reply
      .status(error ? 400 : 200)
      .header('Cache-Control', 'no-store')
      .render('spend/views/bulk-new.njk', {
        title: 'Import many councils’ spending files',
        errorSummary: error ? formErrors(error) : undefined,
        manifestError: error ? (fieldErrors(error).manifest ?? { text: error.message }) : undefined,
        problems: error?.problems.filter((problem) => problem.field === 'manifest').map((problem) => problem.message) ?? [],
      });

  const requireBulkImporter = (request: FastifyRequest): Actor => {
    const actor = requireSignedIn(request);
    if (!spendPolicy.canBulkImport(actor)) throw new NotAllowedError('Only the institute can import many councils’ files at once');
    return actor;
  };

  app.get('/spend/bulk-imports/new', { schema: { hide: true } }, async (request, reply) => {
    requireBulkImporter(request);
    return renderBulkForm(reply);
  });

  app.post('/spend/bulk-imports', { schema: { hide: true } }, async (request, reply) => {
    const actor = requireBulkImporter(request);
    const noManifest = new InputError('Choose a manifest file', [
      { field: 'manifest', message: 'Choose a manifest file (CSV with the columns file, organisation, period)' },
    ]);
    if (!request.isMultipart()) return renderBulkForm(reply, noManifest);
    let manifest: { name: string; bytes: Buffer } | null = null;
    const uploads = new Map<string, StoredSpendFile>();
    for await (const part of request.parts()) {
      if (part.type !== 'file') continue;
      if (part.filename === '') {
        part.file.resume();
      } else if (part.fieldname === 'manifest') {
        manifest = { name: part.filename, bytes: await part.toBuffer() };
      } else if (part.fieldname === 'files') {
        uploads.set(part.filename.replaceAll('\\', '/').split('/').pop() ?? part.filename, await spendService.storeSpendUpload(part.file));
      } else {
        part.file.resume();
      }
    }
    if (!manifest) return renderBulkForm(reply, noManifest);
    let id: number;
    try {
      id = await spendImportsService.createBulkImport(actor, { manifestName: manifest.name, manifest: manifest.bytes, uploads });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return renderBulkForm(reply, error);
    }
    runner.wake();
    return reply.redirect(`/spend/imports/${id}`, 303);
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
