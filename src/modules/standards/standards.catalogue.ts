import type { Actor } from '../../platform/actor.js';
import { NotFoundError } from '../../platform/errors.js';

/** What standards needs from the catalogue: whether a component exists, and whether someone may speak for it. */
export interface ComponentCatalogue {
  componentExists(slug: string): Promise<boolean>;
  mayChangeComponent(actor: Actor, slug: string): Promise<boolean>;
}

/** Without the catalogue wired in: any well-formed slug is accepted, and anyone in an organisation may declare. */
export const FORMAT_ONLY_CATALOGUE: ComponentCatalogue = {
  componentExists: () => Promise.resolve(true),
  mayChangeComponent: (actor) => Promise.resolve(actor.organisationId !== null),
};

/**
 * The catalogue as standards uses it, from the catalogue service (getComponent throws NotFoundError for an unknown
 * slug). Given as a function so the two services can be wired in either order.
 */
export function catalogueThrough<Component>(
  catalogueService: () => {
    getComponent(slug: string): Promise<{ component: Component }>;
    canEdit(actor: Actor | null, component: Component): boolean;
  },
): ComponentCatalogue {
  const find = async (slug: string): Promise<Component | null> => {
    try {
      return (await catalogueService().getComponent(slug)).component;
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  };
  return {
    componentExists: async (slug) => (await find(slug)) !== null,
    mayChangeComponent: async (actor, slug) => {
      const component = await find(slug);
      return component !== null && catalogueService().canEdit(actor, component);
    },
  };
}
