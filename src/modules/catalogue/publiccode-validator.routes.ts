import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { validatePubliccode, type PubliccodeValidation } from './publiccode/index.js';
import { presentValidationReport } from './publiccode-validator.presenters.js';
import { pastedValidationSchema, validateBodySchema, validationResultSchema } from './publiccode-validator.schemas.js';

/**
 * The public publiccode.yml validator: a page where anyone can paste or upload a file and read the report,
 * and the same check as JSON. Nothing is saved; the file is read within the parser's limits.
 */
export function registerPubliccodeValidatorRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/api/v1/publiccode/validate',
    {
      schema: {
        tags: ['Components'],
        summary: 'Validate a publiccode.yml file against the 0.4 standard',
        description:
          'Checks every key of a publiccode.yml file (versions 0.2 to 0.4, read as 0.4) as the standard and its reference validator define them. Each error and warning names the key, line and column. Open to everyone; nothing is saved. 200 when the file has no errors, 422 when it has.',
        body: validateBodySchema,
        response: { 200: validationResultSchema, 422: validationResultSchema },
      },
    },
    async (request, reply) => {
      const validation = validatePubliccode(request.body.yaml);
      return reply.status(validation.errors.length === 0 ? 200 : 422).send(resultOf(validation));
    },
  );

  api.get('/components/publiccode/validate', { schema: { hide: true } }, async (_request, reply) => renderValidator(reply, {}));

  // No body schema: an upload streams to the handler as multipart; a pasted file arrives as an ordinary form.
  app.post('/components/publiccode/validate', { schema: { hide: true } }, async (request, reply) => {
    const submitted = request.isMultipart() ? await readUploadedFile(request) : pastedText(request.body);
    if (submitted === null) {
      return renderValidator(reply.status(400), { problem: 'Choose a publiccode.yml file, or paste the contents of one' });
    }
    if ('notText' in submitted) {
      return renderValidator(reply.status(400), { problem: `${submitted.fileName} is not UTF-8 text: a publiccode.yml must be UTF-8` });
    }
    const validation = validatePubliccode(submitted.text);
    const report = presentValidationReport(validation);
    return renderValidator(reply.status(report.valid ? 200 : 422), { report, yaml: submitted.text, fileName: submitted.fileName });
  });
}

function resultOf(validation: PubliccodeValidation) {
  return { valid: validation.errors.length === 0, version: validation.version, errors: validation.errors, warnings: validation.warnings };
}

interface ValidatorPage {
  report?: ReturnType<typeof presentValidationReport>;
  yaml?: string;
  fileName?: string;
  problem?: string;
}

function renderValidator(reply: FastifyReply, page: ValidatorPage) {
  const errorSummary = page.problem ? [{ text: page.problem, href: '#yaml' }] : page.report?.errorSummary;
  return reply.header('Cache-Control', 'no-store').render('catalogue/views/validate.njk', {
    title: page.report
      ? page.report.valid
        ? 'This publiccode.yml is valid'
        : 'This publiccode.yml has errors'
      : 'Check a publiccode.yml file',
    breadcrumbs: [
      { text: 'Home', href: '/' },
      { text: 'Components', href: '/components' },
    ],
    report: page.report,
    fileName: page.fileName,
    yaml: page.yaml ?? '',
    problem: page.problem,
    errorSummary: errorSummary && errorSummary.length > 0 ? errorSummary : undefined,
  });
}

type Submitted = { fileName: string; text: string } | { fileName: string; notText: true };

/** One uploaded file, decoded strictly as UTF-8 (the standard's encoding); an empty file input counts as none. */
async function readUploadedFile(request: FastifyRequest): Promise<Submitted | null> {
  let submitted: Submitted | null = null;
  for await (const part of request.files({ limits: { fileSize: 1_000_000, files: 1 } })) {
    const buffer = await part.toBuffer();
    if (buffer.length === 0) continue;
    const fileName = part.filename.split(/[\\/]/).pop() || 'publiccode.yml';
    try {
      submitted = { fileName, text: new TextDecoder('utf-8', { fatal: true }).decode(buffer) };
    } catch {
      submitted = { fileName, notText: true };
    }
  }
  return submitted;
}

function pastedText(body: unknown): Submitted | null {
  const yaml = pastedValidationSchema.safeParse(body ?? {}).data?.yaml;
  return yaml && yaml.trim() !== '' ? { fileName: 'the pasted file', text: yaml } : null;
}
