import path from 'node:path';
import { DEFAULT_LIMITS } from '../../platform/limits.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireApiWriter, requireOrganisationMember } from '../identity/index.js';
import type { PubliccodeImportOutcome } from './catalogue.types.js';
import { breadcrumbs, type CatalogueRoutesOptions, refuseWithoutWriteToken, WRITE_NOTE } from './catalogue.http.js';
import { importOutcomeSchema, pastedSchema } from './publiccode-import.schemas.js';

/** Importing publiccode.yml: by upload or pasted text on a page, or through the JSON API. */
export function registerPubliccodeImportRoutes(
  app: FastifyInstance,
  { catalogueService, limits = DEFAULT_LIMITS }: CatalogueRoutesOptions,
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(
    '/api/v1/components/import',
    {
      preValidation: refuseWithoutWriteToken,
      schema: {
        tags: ['Components'],
        summary: 'Import one publiccode.yml file',
        description: `Creates the component, or updates the one with the same code repository. 422 names every invalid field. ${WRITE_NOTE}`,
        body: z.object({ fileName: z.string().max(200).default('publiccode.yml'), yaml: z.string().max(1_000_000) }),
        response: { 200: importOutcomeSchema, 201: importOutcomeSchema, 422: importOutcomeSchema },
      },
    },
    async (request, reply) => {
      const outcome = await catalogueService.importPubliccode(requireApiWriter(request), {
        fileName: request.body.fileName,
        text: request.body.yaml,
      });
      return reply.status(outcome.status === 'created' ? 201 : outcome.status === 'updated' ? 200 : 422).send(outcome);
    },
  );

  // Importing publiccode.yml by upload (multipart) or by pasting the text.
  const renderImport = (reply: FastifyReply, context: { outcomes?: PubliccodeImportOutcome[]; yaml?: string; error?: string }) =>
    reply.header('Cache-Control', 'no-store').render('catalogue/views/import.njk', {
      title: context.outcomes ? 'Import results' : 'Import publiccode.yml',
      breadcrumbs: breadcrumbs(),
      outcomes: context.outcomes?.map((outcome) => ({ ...outcome, fileName: path.basename(outcome.file) })),
      yaml: context.yaml ?? '',
      errorSummary: context.error ? [{ text: context.error, href: '#files' }] : undefined,
      error: context.error,
    });

  api.get('/components/import', { schema: { hide: true } }, async (request, reply) => {
    requireOrganisationMember(request);
    return renderImport(reply, {});
  });

  // No body schema: a multipart upload streams to the handler; a pasted file arrives as an ordinary form.
  app.post('/components/import', { schema: { hide: true } }, async (request, reply) => {
    // Refused before any upload is read; the catalogue service applies the same rule to every way of creating a component.
    const actor = requireOrganisationMember(request);
    const pasted = request.isMultipart() ? undefined : pastedSchema.safeParse(request.body ?? {}).data?.yaml;
    const files = request.isMultipart() ? await readUploadedFiles(request, limits.uploadBytes.publiccode) : pastedFile(pasted);
    if (files.length === 0) {
      return renderImport(reply.status(400), {
        error: 'Choose one or more publiccode.yml files, or paste the contents of one',
        yaml: pasted,
      });
    }
    const outcomes: PubliccodeImportOutcome[] = [];
    for (const file of files) outcomes.push(await catalogueService.importPubliccode(actor, file));
    const anyRejected = outcomes.some((outcome) => outcome.status === 'rejected');
    return renderImport(reply.status(anyRejected ? 422 : 200), { outcomes });
  });
}

async function readUploadedFiles(request: FastifyRequest, maxBytes: number): Promise<{ fileName: string; text: string }[]> {
  const files: { fileName: string; text: string }[] = [];
  for await (const part of request.files({ limits: { fileSize: maxBytes, files: 20 } })) {
    const buffer = await part.toBuffer();
    if (part.filename === '' && buffer.length === 0) continue;
    files.push({ fileName: path.basename(part.filename || 'publiccode.yml'), text: buffer.toString('utf8') });
  }
  return files;
}

function pastedFile(yaml: string | undefined): { fileName: string; text: string }[] {
  return yaml && yaml.trim() !== '' ? [{ fileName: 'pasted publiccode.yml', text: yaml }] : [];
}
