/**
 * Powertools instances at module scope, as Powertools asks (they track cold starts and reuse their
 * console). Both are configured by environment: POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE,
 * POWERTOOLS_LOG_LEVEL, POWERTOOLS_DEV (pretty logs, metrics off), POWERTOOLS_METRICS_DISABLED.
 * Constructing them reads only the environment: no I/O at module load.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Logger as CoreLogger } from '../src/fetch.js';

const SERVICE_NAME = 'onetime-kit';
export const METRICS_NAMESPACE = 'OnetimeSecret';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME || SERVICE_NAME });

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || METRICS_NAMESPACE,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME || SERVICE_NAME,
});

/** The core's logger interface on top of Powertools Logger (the core never hands it secrets). */
export const coreLogger: CoreLogger = {
  warn: (message) => logger.warn(message),
  info: (message) => logger.info(message),
  debug: (message) => logger.debug(message),
};
