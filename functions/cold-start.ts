/**
 * Reads and checks the configuration once, when the container starts (module scope), so a broken deploy
 * says why in its first log line rather than at the first request. getConfig remembers the outcome, so
 * every answer after that gives the same reason. Never throws: a failure here must not fail the init.
 */
import { ConfigError, getConfig } from './config.js';
import { logger } from './powertools.js';

export function checkConfigAtColdStart(): void {
  try {
    getConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.error('The function is misconfigured', { variable: error.variable, reason: error.message });
    } else {
      logger.error('The configuration could not be read', { error });
    }
  }
}

checkConfigAtColdStart();
