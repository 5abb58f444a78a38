import { countJourneys, createJourney, publishJourney } from '../db/journeys.store.js';
import { createPool } from '../db/pool.js';
import { DEMO_JOURNEY } from '../journeys/demo-journey.js';
import type { Logger } from '../log/logger.js';

/** Publishes the demo "Appointment reminder" journey when the database has no journeys. */
export async function publishDemoJourneyIfEmpty(databaseUrl: string, log: Logger): Promise<void> {
  const pool = createPool(databaseUrl, 1);
  try {
    if ((await countJourneys(pool)) > 0) {
      return;
    }
    const journeyId = await createJourney(pool, DEMO_JOURNEY);
    const version = await publishJourney(pool, journeyId, 'pathwell-start');
    log.info({ journeyId, versionId: version.id }, 'Demo journey published');
  } finally {
    await pool.end();
  }
}
