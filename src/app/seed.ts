import type { Logger } from '../platform/logging.js';
import { councilRegisterFile } from './paths.js';
import type { Services } from './services.js';

/** Loads reference data every install needs: the council register. Safe to run again. */
export async function seedReferenceData(services: Services, logger: Logger): Promise<void> {
  const count = await services.organisationsService.loadCouncilRegister(councilRegisterFile);
  logger.info({ organisations: count }, 'council register loaded');
}

/** Adds demo content so a new user sees a working platform. Safe to run again. */
export async function seedDemoContent(services: Services, logger: Logger): Promise<void> {
  const organisations = [
    { kind: 'institute', name: 'Local Digital Commons Institute (demo)', nation: 'England' },
    { kind: 'regional-centre', name: 'North West Centre of Service Innovation (demo)', nation: 'England', region: 'North West' },
    { kind: 'regional-centre', name: 'South West Centre of Service Innovation (demo)', nation: 'England', region: 'South West' },
  ] as const;
  for (const organisation of organisations) await services.organisationsService.addOrganisation(organisation);
  logger.info('demo content loaded');
}
