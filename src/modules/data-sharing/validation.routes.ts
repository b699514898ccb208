/** The validator: the upload page, the report page (stable, shareable), downloads and `POST /api/v1/validate`. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InputError } from '../../platform/errors.js';
import { buildPagination } from '../../platform/http/lists.js';
import { formErrors, fieldErrors } from '../../platform/http/forms.js';
import { requireOrganisationMember, requireSignedIn } from '../identity/index.js';
import type { DataStandardsService } from './data-standards.service.js';
import type { ValidationService } from './validation.service.js';
import { groupProblems, PROBLEM_KINDS, verdictSentence } from './validation.presenters.js';
import { fileReportSchema } from './validation.schemas.js';

const SCHEMA_FILE_LIMIT = 5 * 1024 * 1024;
const reportParams = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .describe('The report’s id'),
});

interface Upload {
  filePath: string | null;
  fileName: string;
  standard: string;
  schemaDescriptor: unknown;
  previous: string;
  cleanup: () => void;
}

/** Reads a multipart upload in any order of parts: the data file is spooled to a temporary file, the schema parsed. */
async function readUpload(request: FastifyRequest): Promise<Upload> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-validate-'));
  const upload: Upload = {
    filePath: null,
    fileName: '',
    standard: '',
    schemaDescriptor: undefined,
    previous: '',
    cleanup: () => fs.rmSync(directory, { recursive: true, force: true }),
  };
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        const value = typeof part.value === 'string' ? part.value.trim() : '';
        if (part.fieldname === 'standard' || part.fieldname === 'schema') upload.standard = value;
        if (part.fieldname === 'previous') upload.previous = value;
        continue;
      }
      if (part.fieldname === 'file' && part.filename) {
        upload.fileName = path.basename(part.filename);
        upload.filePath = path.join(directory, crypto.randomBytes(8).toString('hex'));
        await pipeline(part.file, fs.createWriteStream(upload.filePath));
      } else if ((part.fieldname === 'schemaFile' || part.fieldname === 'schema') && part.filename) {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of part.file as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > SCHEMA_FILE_LIMIT)
            throw new InputError('The schema file is too big', [
              { field: 'schemaFile', message: 'The schema file must be smaller than 5 MB' },
            ]);
          chunks.push(chunk);
        }
        try {
          upload.schemaDescriptor = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
        } catch {
          throw new InputError('The schema file is not JSON', [
            { field: 'schemaFile', message: 'The schema file must be a Table Schema or Data Package in JSON' },
          ]);
        }
      } else part.file.resume();
    }
  } catch (error) {
    upload.cleanup();
    throw error;
  }
  return upload;
}

/** The validation form: the standards to check against, and to register a published file against. */
async function renderForm(
  dataStandardsService: DataStandardsService,
  reply: FastifyReply,
  values: { standard?: string; previous?: string },
  error?: InputError,
) {
  const standards = await dataStandardsService.listStandards({});
  return reply.status(error ? 400 : 200).render('data-sharing/views/validate.njk', {
    title: 'Check a file against a data standard',
    standardOptions: [
      { value: '', text: 'No standard: check the file is consistent on its own' },
      ...standards.map((standard) => ({ value: standard.slug, text: standard.name, selected: standard.slug === values.standard })),
    ],
    previous: values.previous ?? '',
    canRegister: reply.request.actor?.organisationId != null,
    registerStandardOptions: standards.map((standard) => ({
      value: standard.slug,
      text: standard.name,
      selected: standard.slug === values.standard,
    })),
    errorSummary: error ? formErrors(error) : undefined,
    errors: fieldErrors(error),
    breadcrumbs: [
      { text: 'Home', href: '/' },
      { text: 'Data sharing', href: '/data-sharing' },
    ],
  });
}

/** What a report's page shows: the verdict, the problems grouped (or one group's page of them) and the links. */
function reportPageView(report: Awaited<ReturnType<ValidationService['getReport']>>, chosenKey: string | undefined, page: number) {
  const groups = groupProblems(report.errors, report.schemaFields);
  const rowsWithProblems = new Set(
    report.errors.filter((error) => error.rowNumber !== null && error.rowNumber > 1).map((error) => error.rowNumber),
  ).size;
  const chosen = chosenKey ? groups.find((group) => group.key === chosenKey) : undefined;
  const pageSize = 100;
  const base = `/data-sharing/validate/reports/${report.id}`;
  return {
    title: chosen ? `${chosen.title}${chosen.fieldName ? ` in ${chosen.fieldName}` : ''}` : `Report on ${report.fileName}`,
    report,
    verdict: verdictSentence({ ...report, standardName: report.standard?.name ?? null }, rowsWithProblems),
    counts: Object.entries(report.counts).map(([type, count]) => ({
      type,
      count,
      title: PROBLEM_KINDS[type as keyof typeof PROBLEM_KINDS]?.title ?? type,
    })),
    groups: chosen
      ? []
      : groups.map((group) => ({
          ...group,
          shown: group.instances.slice(0, 20),
          href: `${base}?group=${encodeURIComponent(group.key)}#problems`,
        })),
    chosen: chosen ? { ...chosen, shown: chosen.instances.slice((page - 1) * pageSize, page * pageSize) } : null,
    pagination: chosen ? buildPagination(base, { group: chosen.key }, page, pageSize, chosen.count) : undefined,
    capped: report.errors.length < report.stats.errors,
    shareUrl: base,
    breadcrumbs: [
      { text: 'Home', href: '/' },
      { text: 'Data sharing', href: '/data-sharing' },
      { text: 'Check a file', href: '/data-sharing/validate' },
      ...(chosen ? [{ text: `Report on ${report.fileName}`, href: base }] : []),
    ],
  };
}

/** The validator's pages and API. Over 80 lines as a list of route declarations, each handler short. */
export function registerValidationRoutes(
  app: FastifyInstance,
  { validationService, dataStandardsService }: { validationService: ValidationService; dataStandardsService: DataStandardsService },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/data-sharing/validate',
    {
      schema: { hide: true, querystring: z.object({ standard: z.string().max(100).optional(), previous: z.string().max(64).optional() }) },
    },
    async (request, reply) => renderForm(dataStandardsService, reply, request.query),
  );

  api.post('/data-sharing/validate', { schema: { hide: true } }, async (request, reply) => {
    const noFile = new InputError('Choose a CSV file to check', [{ field: 'file', message: 'Choose a CSV file to check' }]);
    if (!request.isMultipart()) return renderForm(dataStandardsService, reply, {}, noFile);
    let upload: Upload;
    try {
      upload = await readUpload(request);
    } catch (error) {
      if (error instanceof InputError) return renderForm(dataStandardsService, reply, {}, error);
      throw error;
    }
    try {
      if (!upload.filePath) return await renderForm(dataStandardsService, reply, upload, noFile);
      // A re-check of a report made with an uploaded schema uses that schema again.
      const schemaDescriptor =
        upload.schemaDescriptor ??
        (!upload.standard && upload.previous ? ((await validationService.getReportSchema(upload.previous)) ?? undefined) : undefined);
      const { id } = await validationService.validateAndKeep(request.actor, {
        fileName: upload.fileName,
        stream: fs.createReadStream(upload.filePath),
        standardSlug: upload.standard || null,
        schemaDescriptor,
        previousReportId: upload.previous || null,
      });
      return reply.redirect(`/data-sharing/validate/reports/${id}`, 303);
    } catch (error) {
      if (error instanceof InputError) return renderForm(dataStandardsService, reply, upload, error);
      throw error;
    } finally {
      upload.cleanup();
    }
  });

  api.get(
    '/data-sharing/validate/reports/:id',
    {
      schema: {
        hide: true,
        params: reportParams,
        querystring: z.object({ group: z.string().max(100).optional(), page: z.coerce.number().int().min(1).max(100_000).default(1) }),
      },
    },
    async (request, reply) => {
      const report = await validationService.getReport(request.params.id);
      reply.header('Cache-Control', 'no-store');
      return reply.render('data-sharing/views/report.njk', reportPageView(report, request.query.group, request.query.page));
    },
  );

  api.get('/data-sharing/validate/reports/:id/report.json', { schema: { hide: true, params: reportParams } }, async (request, reply) => {
    const report = await validationService.getReport(request.params.id);
    return reply
      .header('Content-Disposition', `attachment; filename="validation-report-${report.id}.json"`)
      .send({ file: report.fileName, valid: report.valid, stats: report.stats, errors: report.errors });
  });

  api.get('/data-sharing/validate/reports/:id/annotated.csv', { schema: { hide: true, params: reportParams } }, async (request, reply) => {
    const csv = await validationService.annotatedCsv(request.params.id);
    if (csv === null)
      return reply.status(404).render('error.njk', {
        title: 'No annotated copy',
        paragraphs: ['The file was too big to keep (over 5 MB), so there is no annotated copy. The JSON report lists every problem.'],
      });
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="annotated-${request.params.id}.csv"`)
      .send(csv);
  });

  api.post(
    '/data-sharing/watched',
    {
      schema: {
        hide: true,
        body: z.object({ url: z.string().max(2000).default(''), standard: z.string().max(100).default(''), _csrf: z.string().optional() }),
      },
    },
    async (request, reply) => {
      const actor = requireOrganisationMember(request);
      try {
        const id = await validationService.registerWatchedFile(actor, { url: request.body.url, standardSlug: request.body.standard });
        return reply.redirect(`/data-sharing/watched/${id}`, 303);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderForm(dataStandardsService, reply, { standard: request.body.standard }, error);
      }
    },
  );

  api.get(
    '/data-sharing/watched/:id',
    { schema: { hide: true, params: z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) }) } },
    async (request, reply) => {
      const watched = await validationService.getWatchedFile(request.params.id);
      return reply.render('data-sharing/views/watched.njk', {
        title: 'A published file checked on a schedule',
        watched,
        breadcrumbs: [
          { text: 'Home', href: '/' },
          { text: 'Data sharing', href: '/data-sharing' },
          { text: 'Check a file', href: '/data-sharing/validate' },
        ],
      });
    },
  );

  api.post(
    '/api/v1/validate',
    {
      schema: {
        tags: ['Data sharing'],
        summary: 'Validate a CSV file against a data standard or a Table Schema',
        description:
          'Needs an API token (read scope is enough). Multipart form: `file` (the CSV), optional `schema` (a data standard’s slug as a field, or a Table Schema or Data Package JSON file). Without a schema, one is inferred from the first rows. Answers the same object as `commons validate --json`; the report’s shareable page is in the Location header.',
        consumes: ['multipart/form-data'],
        response: { 200: fileReportSchema },
      },
    },
    async (request, reply) => {
      requireSignedIn(request);
      if (!request.isMultipart())
        throw new InputError('Send the file as multipart/form-data in the field “file”', [{ field: 'file', message: 'No file was sent' }]);
      const upload = await readUpload(request);
      try {
        if (!upload.filePath)
          throw new InputError('Send the file as multipart/form-data in the field “file”', [
            { field: 'file', message: 'No file was sent' },
          ]);
        const { id, report } = await validationService.validateAndKeep(request.actor, {
          fileName: upload.fileName,
          stream: fs.createReadStream(upload.filePath),
          standardSlug: upload.standard || null,
          schemaDescriptor: upload.schemaDescriptor,
        });
        reply.header('Location', `/data-sharing/validate/reports/${id}`);
        return { file: report.file, valid: report.valid, stats: report.stats, errors: report.errors };
      } finally {
        upload.cleanup();
      }
    },
  );
}
