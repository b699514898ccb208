import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../platform/actor.js';
import { InputError, NotAllowedError } from '../../platform/errors.js';
import { describeAccess } from '../../platform/http/access.js';
import { fieldErrors, formErrors } from '../../platform/http/forms.js';
import { idParamsSchema } from '../../platform/http/ids.js';
import { buildPagination, type CsvColumn, pageQuerySchema, sendCsv, wantsCsv } from '../../platform/http/lists.js';
import { DEFAULT_LIMITS } from '../../platform/limits.js';
import { formatBytes } from '../../platform/format-bytes.js';
import { requireSignedIn } from '../identity/index.js';
import type { SpendFileListItem, SpendFilesService } from './spend-files.service.js';
import type { SpendImportsService } from './spend-imports.service.js';
import { spendPolicy } from './spend.policy.js';
import type { SpendFileSummary } from './spend.service.js';

const codeParams = z.object({ code: z.string().min(1).max(100).describe('GSS code, e.g. E07000178 (or registry code or slug)') });
const statuses = ['imported', 'withdrawn', 'rejected'] as const;
const STATUS_LABELS: Record<(typeof statuses)[number], string> = {
  imported: 'Files whose payments count',
  withdrawn: 'Withdrawn files',
  rejected: 'Refused files',
};
const listQuery = pageQuerySchema.extend({
  pageSize: z.coerce.number().int().min(1).max(1000).default(25).describe('Files per page, up to 1000'),
  status: z.enum(statuses).optional().describe('Only files of this status'),
});

const FILE_COLUMNS: CsvColumn<SpendFileListItem>[] = [
  { header: 'id', value: (file) => file.id },
  { header: 'file_name', value: (file) => file.fileName },
  { header: 'status', value: (file) => file.status },
  { header: 'date_from', value: (file) => file.dateFrom },
  { header: 'date_to', value: (file) => file.dateTo },
  { header: 'period_from', value: (file) => file.periodFrom },
  { header: 'period_to', value: (file) => file.periodTo },
  { header: 'payments', value: (file) => file.rowsImported },
  { header: 'total_pounds', value: (file) => (file.totalPence / 100).toFixed(2) },
  { header: 'rows_rejected', value: (file) => file.rowsRejected },
  { header: 'imported_at', value: (file) => file.importedAt },
  { header: 'withdrawn_at', value: (file) => file.withdrawnAt },
  { header: 'replaced_by_file_id', value: (file) => file.replacedByFileId },
  { header: 'sha256', value: (file) => file.sha256 },
];

/**
 * A council's spending files: the list (HTML, JSON and CSV), one file's page with its figures, and, for the council's
 * organisation admins, the way to replace it with a corrected file (uploaded, checked and imported as any upload,
 * the old file withdrawn only once the correction is imported) or to withdraw it.
 * Over 80 lines as a list of route declarations, each handler short (one page or form).
 */
export function registerSpendFileRoutes(
  app: FastifyInstance,
  {
    spendFilesService,
    spendImportsService,
    maxUploadBytes = DEFAULT_LIMITS.uploadBytes.spend,
  }: { spendFilesService: SpendFilesService; spendImportsService: SpendImportsService; maxUploadBytes?: number },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/spend/organisations/:code/files',
    { schema: { hide: true, params: codeParams, querystring: listQuery } },
    async (request, reply) => {
      const { page, pageSize, status } = request.query;
      const { organisation, total, items } = await spendFilesService.listOrganisationFiles(request.params.code, { page, pageSize, status });
      const code = organisation.gssCode ?? organisation.slug;
      const basePath = `/spend/organisations/${encodeURIComponent(code)}/files`;
      return reply.render('spend/views/files.njk', {
        title: status ? `${STATUS_LABELS[status]} of ${organisation.name}` : `Spending files of ${organisation.name}`,
        breadcrumbs: [
          { text: 'Home', href: '/' },
          { text: 'Spending', href: '/spend' },
          { text: organisation.name, href: `/spend/organisations/${encodeURIComponent(code)}` },
        ],
        organisation: { ...organisation, code },
        canUpload: request.actor
          ? spendPolicy.canImportFor(request.actor, organisation.id) && spendPolicy.canHoldSpend(organisation.kind)
          : false,
        items,
        total,
        firstItem: (page - 1) * pageSize + 1,
        lastItem: (page - 1) * pageSize + items.length,
        pagination: buildPagination(basePath, { status, pageSize: pageSize === 25 ? undefined : pageSize }, page, pageSize, total),
        emptyText: status
          ? `${organisation.name} has no ${STATUS_LABELS[status].toLowerCase()}.`
          : `No spending files have been imported for ${organisation.name} yet.`,
        statusItems: [
          { value: '', text: 'All files', selected: !status },
          ...statuses.map((value) => ({ value, text: STATUS_LABELS[value], selected: status === value })),
        ],
      });
    },
  );

  api.get(
    '/api/v1/spend/organisations/:code/files',
    {
      schema: {
        tags: ['Spend'],
        summary: 'Spending files of an organisation',
        description:
          'Every file imported for the organisation, newest first: imported, withdrawn (and what replaced it) and refused. JSON, or CSV with `format=csv`.',
        params: codeParams,
        querystring: listQuery,
      },
    },
    async (request, reply) => {
      const { page, pageSize, status, format } = request.query;
      const { organisation, total, items } = await spendFilesService.listOrganisationFiles(request.params.code, { page, pageSize, status });
      if (wantsCsv(request, format))
        return sendCsv(reply, `spend-files-${organisation.gssCode ?? organisation.slug}.csv`, FILE_COLUMNS, items);
      return {
        total,
        page,
        pageSize,
        items: items.map(({ layout: _layout, mapping: _mapping, ...file }) => file),
      };
    },
  );

  api.get('/spend/files/:id', { schema: { hide: true, params: idParamsSchema } }, async (request, reply) => {
    const { file, organisation, canChange } = await spendFilesService.getFileDetails(request.params.id, request.actor ?? null);
    const code = organisation ? (organisation.gssCode ?? organisation.slug) : null;
    return reply.render('spend/views/file.njk', {
      title: file.fileName,
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: 'Spending', href: '/spend' },
        ...(organisation && code
          ? [
              { text: organisation.name, href: `/spend/organisations/${encodeURIComponent(code)}` },
              { text: 'Files', href: `/spend/organisations/${encodeURIComponent(code)}/files` },
            ]
          : []),
      ],
      file,
      organisation: organisation && code ? { ...organisation, code } : null,
      canChange,
      size: formatBytes(file.byteSize),
    });
  });

  const renderReplaceForm = (
    reply: FastifyReply,
    file: SpendFileSummary,
    organisation: { name: string; gssCode: string | null; slug: string },
    error?: InputError,
  ) => {
    const code = organisation.gssCode ?? organisation.slug;
    return reply
      .status(error ? 400 : 200)
      .header('Cache-Control', 'no-store')
      .render('spend/views/replace.njk', {
        title: `Replace ${file.fileName}`,
        breadcrumbs: [
          { text: 'Home', href: '/' },
          { text: organisation.name, href: `/spend/organisations/${encodeURIComponent(code)}` },
          { text: file.fileName, href: `/spend/files/${file.id}` },
        ],
        file,
        organisation,
        errorSummary: error ? formErrors(error) : undefined,
        fileError: error ? (fieldErrors(error).file ?? { text: error.message }) : undefined,
      });
  };

  const refuseReplace = (reply: FastifyReply, actor: Actor, returnPath: string, fileId: number) =>
    reply
      .status(403)
      .header('Cache-Control', 'no-store')
      .render('access-needed.njk', {
        title: 'Replace a spending file',
        access: describeAccess(actor, 'admin', 'replace or withdraw a council’s spending files', returnPath),
        back: { href: `/spend/files/${fileId}`, text: 'Back to the file' },
      });

  api.get('/spend/files/:id/replace', { schema: { hide: true, params: idParamsSchema } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    try {
      const { file, organisation } = await spendImportsService.fileForReplacement(actor, request.params.id);
      return await renderReplaceForm(reply, file, organisation);
    } catch (error) {
      if (error instanceof NotAllowedError) return refuseReplace(reply, actor, request.url, request.params.id);
      throw error;
    }
  });

  api.post('/spend/files/:id/replace', { schema: { hide: true, params: idParamsSchema } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    // Who may replace is decided before a byte of the correction is read.
    const { file, organisation } = await spendImportsService.fileForReplacement(actor, request.params.id);
    const noFile = new InputError('Choose the corrected file to upload', [
      { field: 'file', message: 'Choose the corrected file to upload' },
    ]);
    if (!request.isMultipart()) return renderReplaceForm(reply, file, organisation, noFile);
    const data = await request.file({ limits: { fileSize: maxUploadBytes } });
    if (!data || data.fieldname !== 'file' || data.filename === '') {
      data?.file.resume();
      return renderReplaceForm(reply, file, organisation, noFile);
    }
    let id: number;
    try {
      id = await spendImportsService.createUpload(
        actor,
        organisation,
        { fileName: data.filename, stream: data.file },
        { replacesFileId: file.id },
      );
      if (data.file.truncated)
        throw new InputError('The file is too big', [
          { field: 'file', message: `The selected file must be smaller than ${formatBytes(maxUploadBytes)}` },
        ]);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return renderReplaceForm(reply, file, organisation, error);
    }
    return reply
      .flash({
        heading: `${data.filename} is uploaded`,
        text: `Check its columns, then import it: ${file.fileName} is withdrawn once it is imported.`,
      })
      .redirect(`/spend/imports/${id}`, 303);
  });
}
