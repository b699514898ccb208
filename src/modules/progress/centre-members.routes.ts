/** The institute's page for a regional centre's member councils: add or move a council here, or take one out. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../platform/actor.js';
import { InputError } from '../../platform/errors.js';
import { describeAccess } from '../../platform/http/access.js';
import { fieldErrors, formErrors } from '../../platform/http/forms.js';
import { requireSignedIn } from '../identity/index.js';
import type { OrganisationsService } from '../organisations/index.js';

const slugParams = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,140}$/) });
const councilCode = z.string().trim().max(100).default('');

/** What the member councils' page uses of the register. */
type CentreMembersService = Pick<OrganisationsService, 'listRegionalCentres' | 'listCurrentPrincipalCouncils' | 'moveCouncilToCentre'>;

/** A regional centre's member councils and the form to add one (platform admins; others are told who may). */
async function renderMembers(
  organisationsService: CentreMembersService,
  reply: FastifyReply,
  actor: Actor,
  slug: string,
  url: string,
  error?: InputError,
  chosen = '',
) {
  if (actor.role !== 'platform-admin')
    return reply
      .status(403)
      .header('Cache-Control', 'no-store')
      .render('access-needed.njk', {
        title: 'Change a regional centre’s councils',
        access: describeAccess(actor, 'platform-admin', 'change which councils belong to a regional centre', url),
        back: { href: `/regional-centres/${slug}`, text: 'Back to the centre' },
      });
  const [centres, councils] = await Promise.all([
    organisationsService.listRegionalCentres(),
    organisationsService.listCurrentPrincipalCouncils(),
  ]);
  const centre = centres.find((candidate) => candidate.slug === slug);
  if (!centre) return reply.callNotFound();
  const centreOf = new Map(centres.flatMap((other) => other.memberIds.map((id) => [id, other] as const)));
  const members = councils.filter((council) => centreOf.get(council.id)?.id === centre.id);
  return reply
    .status(error ? 400 : 200)
    .header('Cache-Control', 'no-store')
    .render('progress/views/centre-members.njk', {
      title: `Councils of ${centre.name}`,
      centre,
      members,
      councilItems: [
        { value: '', text: 'Choose a council' },
        ...councils
          .filter((council) => centreOf.get(council.id)?.id !== centre.id)
          .map((council) => {
            const code = council.gssCode ?? council.slug;
            const elsewhere = centreOf.get(council.id);
            return { value: code, text: `${council.name}${elsewhere ? ` (now in ${elsewhere.name})` : ''}`, selected: code === chosen };
          }),
      ],
      errors: fieldErrors(error),
      errorSummary: error ? formErrors(error) : undefined,
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: 'Regional centres', href: '/regional-centres' },
        { text: centre.name, href: `/regional-centres/${centre.slug}` },
      ],
    });
}

/** The member councils' page: adding or moving a council to a centre, and taking one out. */
export function registerCentreMemberRoutes(
  app: FastifyInstance,
  { organisationsService }: { organisationsService: CentreMembersService },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/regional-centres/:slug/members', { schema: { hide: true, params: slugParams } }, async (request, reply) =>
    renderMembers(organisationsService, reply, requireSignedIn(request), request.params.slug, request.url),
  );

  api.post(
    '/regional-centres/:slug/members',
    { schema: { hide: true, params: slugParams, body: z.object({ council: councilCode, _csrf: z.string().optional() }) } },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const { slug } = request.params;
      try {
        if (request.body.council === '')
          throw new InputError('Choose a council to add', [{ field: 'council', message: 'Choose a council to add' }]);
        const { council, from, to } = await organisationsService.moveCouncilToCentre(actor, {
          councilCode: request.body.council,
          centreSlug: slug,
        });
        return reply
          .flash({
            heading: `${council.name} is now a member of ${to?.name ?? 'no centre'}`,
            text:
              from && from.id !== to?.id
                ? `It was a member of ${from.name}, and no longer is.`
                : 'Its figures count towards this centre from now on.',
          })
          .redirect(`/regional-centres/${slug}/members`, 303);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderMembers(organisationsService, reply, actor, slug, request.url, error, request.body.council);
      }
    },
  );

  api.post(
    '/regional-centres/:slug/members/:code/remove',
    { schema: { hide: true, params: slugParams.extend({ code: z.string().min(1).max(100) }) } },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const { slug, code } = request.params;
      const centres = await organisationsService.listRegionalCentres();
      const centre = centres.find((candidate) => candidate.slug === slug);
      if (!centre) return reply.callNotFound();
      const { council, from } = await organisationsService.moveCouncilToCentre(actor, {
        councilCode: code,
        centreSlug: null,
        onlyFrom: slug,
      });
      return reply
        .flash({
          heading: from ? `${council.name} is no longer a member of ${from.name}` : `${council.name} was not a member of ${centre.name}`,
          text: from ? 'It belongs to no regional centre now; add it to another from that centre’s page.' : 'Nothing was changed.',
        })
        .redirect(`/regional-centres/${slug}/members`, 303);
    },
  );
}
