import { NotFoundError } from '../../platform/errors.js';
import type { ComponentLookup } from './challenges.types.js';

/** A component lookup for `findComponent`, from a catalogue function that throws NotFoundError for an unknown slug. */
export function componentLookupThrough(
  getComponent: (slug: string) => Promise<{ component: { slug: string; name: string } }>,
): ComponentLookup {
  return async (slug) => {
    try {
      const { component } = await getComponent(slug);
      return { slug: component.slug, name: component.name, href: `/components/${encodeURIComponent(component.slug)}` };
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  };
}
