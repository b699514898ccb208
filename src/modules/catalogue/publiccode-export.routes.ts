import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { attachmentDisposition } from '../../platform/http/content-disposition.js';
import type { CatalogueRoutesOptions } from './catalogue.http.js';
import { slugParams } from './components.schemas.js';

/** Each component written as publiccode.yml (version 0.4): a download from its page and from the JSON API. */
export function registerPubliccodeExportRoutes(app: FastifyInstance, { catalogueService }: CatalogueRoutesOptions): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  async function sendPubliccode(reply: FastifyReply, slug: string) {
    const yaml = await catalogueService.exportPubliccode(slug);
    return reply
      .header('Content-Type', 'application/yaml; charset=utf-8')
      .header('Content-Disposition', attachmentDisposition(`${slug}.publiccode.yml`))
      .send(yaml);
  }

  api.get(
    '/api/v1/components/:slug/publiccode.yml',
    {
      config: { publicCache: true },
      schema: { tags: ['Components'], summary: 'A component as publiccode.yml (version 0.4)', params: slugParams },
    },
    async (request, reply) => sendPubliccode(reply, request.params.slug),
  );

  api.get(
    '/components/:slug/publiccode.yml',
    { config: { publicCache: true }, schema: { hide: true, params: slugParams } },
    async (request, reply) => sendPubliccode(reply, request.params.slug),
  );
}
