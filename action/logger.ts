import type { Logger } from '../src/index.js';
import type { CorePort } from './ports.js';

/** The core's notices ("region ignored", "default host") as runner warnings and log lines. */
export function loggerFor(core: Pick<CorePort, 'warning' | 'info' | 'debug'>): Logger {
  return {
    warn: (message) => core.warning(message),
    info: (message) => core.info(message),
    debug: (message) => core.debug(message),
  };
}
