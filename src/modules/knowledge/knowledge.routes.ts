import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/services.js';
export function registerKnowledgeRoutes(_app: FastifyInstance, _services: Services): void {}
