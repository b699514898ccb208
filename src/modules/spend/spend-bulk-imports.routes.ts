/** The institute's bulk imports: a manifest with the files it lists, uploaded or in the server's import folder. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/actor.js';
import { InputError, NotAllowedError } from '../../platform/errors.js';
import { formErrors, fieldErrors } from '../../platform/http/forms.js';
import { requireSignedIn } from '../identity/index.js';
import type { SpendImportRunner } from './spend.jobs.js';
import type { SpendImportsService } from './spend-imports.service.js';
import { spendPolicy } from './spend.policy.js';
import type { SpendService, StoredSpendFile } from './spend.service.js';

/** The bulk import form and its upload. */
export function registerSpendBulkImportRoutes(
  app: FastifyInstance,
  {
    spendService,
    spendImportsService,
    runner,
  }: {
    spendService: Pick<SpendService, 'storeSpendUpload'>;
    spendImportsService: Pick<SpendImportsService, 'createBulkImport'>;
    runner: Pick<SpendImportRunner, 'wake'>;
  },
): void {
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
