/**
 * Where the page's data comes from. The routes ask for exactly what they show; an adapter over the
 * history store answers with one Query per target (see store-source.ts).
 */
import type { HistoryData } from './model.js';

export interface HistoryRequest {
  /** Configured target names, in the order to show them. */
  targets: readonly string[];
  /** Daily rollups of the last `days` UTC dates, today included (0: none). */
  days: number;
  /** At most this many incidents per target, newest first. */
  incidentLimit: number;
  /** Whether the last 24 h of checks are wanted (for the sparkline and the 24 h uptime). */
  recent: boolean;
  now: Date;
}

export interface HistorySource {
  read(request: HistoryRequest): Promise<HistoryData>;
}

/**
 * Synthetic history (`npm start -- --seed-history`) is shown only when the store is a local one: the
 * DynamoDB endpoint points at a loopback address. A deployed function ignores such items.
 */
export function syntheticAllowed(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL;
  if (endpoint === undefined || endpoint.trim() === '') return false;
  try {
    const host = new URL(endpoint).hostname;
    return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
  } catch {
    return false;
  }
}
