import type { Services } from '../../app/services.js';
export async function seedKnowledgeDemo(_services: Services): Promise<void> {}
