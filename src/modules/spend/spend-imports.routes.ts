import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_LIMITS } from '../../platform/limits.js';
import { formatBytes } from '../../platform/format-bytes.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../platform/actor.js';
import { describeAccess } from '../../platform/http/access.js';
import { InputError, NotAllowedError } from '../../platform/errors.js';
import type { IdentityService } from '../identity/index.js';
import { requireSignedIn } from '../identity/index.js';
import { MAPPING_FIELDS, type MappingForm, type SpendImportsService } from './spend-imports.service.js';
import { registerSpendBulkImportRoutes } from './spend-bulk-imports.routes.js';
import { renderImportPage } from './spend-import-page.js';
import type { SpendImportRunner } from './spend.jobs.js';
import { spendPolicy } from './spend.policy.js';
import type { SpendService } from './spend.service.js';
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

/** The upload page of an organisation, with its recent imports and the error of a refused upload. */
const renderUploadForm = async (
  spendImportsService: SpendImportsService,
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

/**
 * The upload page: for the organisation asked for, else the person's own; a platform admin with neither chooses one,
 * and anyone else who may not upload for it is told what access they need.
 */
async function showUploadPage(
  { spendImportsService, identityService }: SpendImportRouteDependencies,
  request: FastifyRequest,
  reply: FastifyReply,
  organisationCode: string | undefined,
) {
  const actor = requireSignedIn(request);
  let code = organisationCode?.trim();
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
  return renderUploadForm(spendImportsService, reply, actor, organisation);
}

/**
 * Upload pages for councils, progress and result pages, and the jobs API (the bulk manifest page for the institute is
 * in spend-bulk-imports.routes.ts). Over 80 lines as a list of route declarations, each handler short.
 */
export function registerSpendImportRoutes(app: FastifyInstance, dependencies: SpendImportRouteDependencies): void {
  const { spendService, spendImportsService, runner, maxUploadBytes = DEFAULT_LIMITS.uploadBytes.spend } = dependencies;
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/spend/imports/new',
    { schema: { hide: true, querystring: z.object({ organisation: z.string().max(100).optional() }) } },
    async (request, reply) => showUploadPage(dependencies, request, reply, request.query.organisation),
  );

  api.post('/spend/organisations/:code/imports', { schema: { hide: true, params: codeParams } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    // Who may upload is decided before a byte of the file is read.
    const organisation = await spendImportsService.organisationForImport(actor, request.params.code);
    const noFile = new InputError('Choose a CSV file to upload', [{ field: 'file', message: 'Choose a CSV file to upload' }]);
    if (!request.isMultipart()) return renderUploadForm(spendImportsService, reply, actor, organisation, noFile);
    const data = await request.file({ limits: { fileSize: maxUploadBytes } });
    if (!data || data.fieldname !== 'file' || data.filename === '') {
      data?.file.resume();
      return renderUploadForm(spendImportsService, reply, actor, organisation, noFile);
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
      return renderUploadForm(spendImportsService, reply, actor, organisation, error);
    }
    return reply
      .flash({
        heading: `${data.filename} is uploaded`,
        text: `It is being read now for ${organisation.name}; this page shows what happens next.`,
      })
      .redirect(`/spend/imports/${id}`, 303);
  });

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
      renderImportPage(spendImportsService, request, reply, request.params.id, {
        page: request.query.page,
        stopRefreshing: request.query.refresh === 'off',
      }),
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
        return renderImportPage(spendImportsService, request, reply, request.params.id, { form, error });
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

  registerSpendBulkImportRoutes(app, { spendService, spendImportsService, runner });
}
