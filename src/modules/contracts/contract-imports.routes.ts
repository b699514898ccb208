import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InputError, NotAllowedError } from '../../platform/errors.js';
import { requireApiWriter, requireSignedIn } from '../identity/index.js';
import type { ContractsService, OcdsImportOutcome } from './contracts.service.js';

const issueSchema = z.object({
  message: z.string(),
  paths: z.array(z.string()).describe('JSON paths where the problem occurs (the first 50)'),
  count: z.number().int().describe('How many times it occurs in all'),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});

const outcomeSchema = z.object({
  file: z.string(),
  status: z.enum(['imported', 'rejected']),
  shapes: z.array(z.string()).describe('What the file held: release-package, record-package, release, compiled-release, record'),
  releases: z.number().int(),
  contracts: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  errors: z.array(z.string()),
  warnings: z.array(z.string()),
  issues: z.object({ errors: z.array(issueSchema), warnings: z.array(issueSchema) }),
});

const NOT_ALLOWED = 'Only platform admins import contracts: they come from national sources and cover every council.';

/** The upload from a multipart request's "file" field, or null when none was chosen. */
async function uploadedFile(request: FastifyRequest) {
  if (!request.isMultipart()) return null;
  const upload = await request.file();
  if (!upload || upload.fieldname !== 'file' || upload.filename === '') {
    upload?.file.resume();
    return null;
  }
  return upload;
}

/** Importing OCDS files through the web and the API, for platform admins. */
export function registerContractImportsRoutes(app: FastifyInstance, { contractsService }: { contractsService: ContractsService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const breadcrumbs = [
    { text: 'Home', href: '/' },
    { text: 'Contracts', href: '/contracts' },
  ];
  const render = (reply: FastifyReply, context: { outcome?: OcdsImportOutcome; error?: string }) =>
    reply.header('Cache-Control', 'no-store').render('contracts/views/import.njk', {
      title: context.outcome
        ? context.outcome.status === 'imported'
          ? 'Contracts imported'
          : 'The file was not imported'
        : 'Import contracts (OCDS)',
      breadcrumbs,
      outcome: context.outcome,
      error: context.error,
      errorSummary: context.error ? [{ text: context.error, href: '#file' }] : undefined,
    });

  const requireImporter = (request: FastifyRequest) => {
    const actor = requireSignedIn(request);
    if (!contractsService.canImportContracts(actor)) throw new NotAllowedError(NOT_ALLOWED);
    return actor;
  };

  api.get('/contracts/import', { schema: { hide: true } }, async (request, reply) => {
    requireImporter(request);
    return render(reply, {});
  });

  // No body schema: the upload streams to the service; the form sends its CSRF token in the query string.
  app.post('/contracts/import', { schema: { hide: true } }, async (request, reply) => {
    const actor = requireImporter(request);
    const upload = await uploadedFile(request);
    if (!upload) return render(reply.status(400), { error: 'Choose an OCDS file to upload' });
    try {
      const outcome = await contractsService.importOcdsUpload(actor, { fileName: upload.filename, stream: upload.file });
      return render(reply.status(outcome.status === 'rejected' ? 422 : 200), { outcome });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return render(reply.status(400), { error: error.message });
    }
  });

  api.post(
    '/api/v1/contracts/imports',
    {
      schema: {
        tags: ['Contracts'],
        summary: 'Import an OCDS file',
        description:
          'Send one OCDS file as multipart/form-data in the field "file" (release or record package, release, record, a list ' +
          'of them, or JSON Lines). It is checked against the OCDS 1.1 schemas; any error refuses the whole file (422, ' +
          'nothing written) with each problem and its JSON paths. Needs a platform admin’s token with the write scope.',
        response: { 201: outcomeSchema, 422: outcomeSchema },
      },
    },
    async (request, reply) => {
      const actor = requireApiWriter(request);
      if (!contractsService.canImportContracts(actor)) throw new NotAllowedError(NOT_ALLOWED);
      const upload = await uploadedFile(request);
      if (!upload)
        throw new InputError('Send the OCDS file as multipart/form-data in the field "file"', [{ field: 'file', message: 'Required' }]);
      const outcome = await contractsService.importOcdsUpload(actor, { fileName: upload.filename, stream: upload.file });
      return reply.status(outcome.status === 'rejected' ? 422 : 201).send(outcome);
    },
  );
}
