import type { Logger } from './types.js';

const emitted = new Set<string>();

/**
 * The logger used when the caller gives none: each distinct message becomes one Node process warning
 * (stderr), so a library user sees "region ignored" or "default host" once, not on every call.
 */
export const defaultLogger: Logger = {
  warn(message: string): void {
    if (emitted.has(message)) return;
    emitted.add(message);
    process.emitWarning(message, 'OnetimeKitWarning');
  },
};
