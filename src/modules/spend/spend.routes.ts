import type { FastifyInstance } from 'fastify';
import type { Limits } from '../../platform/limits.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type CsvColumn, pageQuerySchema, sendCsv, wantsCsv } from '../../platform/http/lists.js';
import type { IdentityService } from '../identity/index.js';
import { registerSpendImportRoutes } from './spend-imports.routes.js';
import type { SpendImportsService } from './spend-imports.service.js';
import { registerSpendSupplierRoutes } from './spend-suppliers.routes.js';
import { registerSpendWithdrawalRoutes } from './spend-withdrawals.routes.js';
import { registerSpendFileRoutes } from './spend-files.routes.js';
import type { SpendFilesService } from './spend-files.service.js';
import type { SpendWithdrawalsService } from './spend-withdrawals.service.js';
import type { SpendImportRunner } from './spend.jobs.js';
import type { SpendFileReject, SpendService } from './spend.service.js';
import { idSchema } from '../../platform/http/ids.js';

const summarySchema = z.object({
  transactions: z.number().int().describe('Transactions imported'),
  totalPence: z.number().int().describe('Sum of their amounts, in pence'),
  dateFrom: z.string().nullable().describe('Earliest payment date (YYYY-MM-DD)'),
  dateTo: z.string().nullable().describe('Latest payment date (YYYY-MM-DD)'),
  suppliers: z.number().int().describe('Distinct suppliers paid (redacted payees not counted)'),
  files: z.number().int().describe('Files imported'),
});

const fileSchema = z.object({
  id: z.number().int(),
  organisationId: z.number().int(),
  fileName: z.string(),
  sha256: z.string(),
  byteSize: z.number().int(),
  status: z.enum(['imported', 'rejected', 'withdrawn']),
  error: z.string().nullable(),
  periodFrom: z.string().nullable(),
  periodTo: z.string().nullable(),
  rowsImported: z.number().int(),
  rowsRejected: z.number().int(),
  rowsSkipped: z.number().int(),
  rowsWithoutDates: z
    .number()
    .int()
    .describe('Payments the file gave no date for: each is dated by the first day of the period the file was published for'),
  totalPence: z.number().int(),
  dateFrom: z.string().nullable(),
  dateTo: z.string().nullable(),
  warnings: z.array(z.string()),
  layout: z.unknown(),
  mapping: z.unknown(),
  importedAt: z.string(),
  withdrawnAt: z.string().nullable().describe('When the file was withdrawn; its payments then count in no figure'),
  withdrawalReason: z.string().nullable(),
  replacedByFileId: z.number().int().nullable().describe('The corrected file that replaced it, if one did'),
});

const rejectSchema = z.object({
  line: z.number().int(),
  column: z.string().nullable(),
  reason: z.string(),
  raw: z.string(),
});

const rejectCsvColumns: CsvColumn<SpendFileReject>[] = [
  { header: 'line', value: (reject) => reject.line },
  { header: 'column', value: (reject) => reject.column },
  { header: 'reason', value: (reject) => reject.reason },
  { header: 'raw', value: (reject) => reject.raw },
];

const fileParams = z.object({ id: idSchema.describe('The file’s id, as the import reported it') });

/**
 * The spend module's routes: the JSON API (organisation summaries, imported files and their rejected rows), the
 * upload and bulk import pages and the supplier admin pages. The import runner that takes queued files is wired in
 * src/app (background.ts); the routes only wake it. Over 80 lines as a list of route declarations, each handler short.
 */
export function registerSpendRoutes(
  app: FastifyInstance,
  {
    spendService,
    spendImportsService,
    identityService,
    limits,
    spendWithdrawalsService,
    spendFilesService,
    runner,
  }: {
    /** The import runner (wired in src/app), woken when a job is queued. */
    runner: Pick<SpendImportRunner, 'wake'>;
    limits?: Limits;
    spendWithdrawalsService?: SpendWithdrawalsService;
    spendFilesService?: SpendFilesService;
    spendService: SpendService;
    spendImportsService: SpendImportsService;
    identityService: Pick<IdentityService, 'getAccount'>;
  },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  registerSpendImportRoutes(app, {
    spendService,
    spendImportsService,
    identityService,
    runner,
    ...(limits ? { maxUploadBytes: limits.uploadBytes.spend } : {}),
  });
  registerSpendSupplierRoutes(app, { spendService });
  if (spendWithdrawalsService) registerSpendWithdrawalRoutes(app, { spendWithdrawalsService });
  if (spendFilesService)
    registerSpendFileRoutes(app, {
      spendFilesService,
      spendImportsService,
      ...(limits ? { maxUploadBytes: limits.uploadBytes.spend } : {}),
    });

  api.get(
    '/api/v1/spend/organisations/:gssCode/summary',
    {
      schema: {
        tags: ['Spend'],
        summary: 'Spend summary of an organisation',
        description: 'How many transactions, how much, over which dates, to how many suppliers, from how many files.',
        params: z.object({ gssCode: z.string().min(1).max(100).describe('GSS code, e.g. E07000178 (or registry code or slug)') }),
        response: { 200: summarySchema },
      },
    },
    async (request) => spendService.getOrganisationSummary(request.params.gssCode),
  );

  api.get(
    '/api/v1/spend/files/:id',
    {
      schema: {
        tags: ['Spend'],
        summary: 'One imported spend file',
        description: 'Its status, detected layout and column mapping, counts, total, dates and warnings.',
        params: fileParams,
        response: { 200: fileSchema },
      },
    },
    async (request) => spendService.getFile(request.params.id),
  );

  api.get(
    '/api/v1/spend/files/:id/rejects',
    {
      schema: {
        tags: ['Spend'],
        summary: 'Rows of a spend file that could not be read',
        description: 'Each with its line, column and reason, and the row as written. CSV with format=csv.',
        params: fileParams,
        querystring: pageQuerySchema,
        response: {
          200: z.object({ total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), items: z.array(rejectSchema) }),
        },
      },
    },
    async (request, reply) => {
      const { page, pageSize, format } = request.query;
      const csv = wantsCsv(request, format);
      // A CSV download is every reject, not one page.
      const result = await spendService.listFileRejects(request.params.id, csv ? { page: 1, pageSize: 1_000_000 } : { page, pageSize });
      if (csv) return sendCsv(reply, `spend-file-${request.params.id}-rejects.csv`, rejectCsvColumns, result.items);
      return { total: result.total, page, pageSize, items: result.items };
    },
  );
}
