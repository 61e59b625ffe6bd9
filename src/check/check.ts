/**
 * Status checks of many targets at once. A target's failure becomes its result, never a throw; only
 * bad input (targets, options) throws, before any request.
 *
 * A failed credential check makes a target `down`: docs/interfaces.md's `down` is "no answer, an error status, or
 * a body that is not a status", and the credential check answered an error status (or none). The
 * message says whether the service answered and refused the credentials (a revoked token, an account of
 * another region), so it is not mistaken for an outage; the default fail-on `down` catches it.
 */

import { generateValue } from '../api/password.js';
import { checkVersionCredentials, statusUrl } from '../api/registry.js';
import { type ClientSettings, clientForTarget, parseApiVersion, parseTimeoutMs } from '../client.js';
import { resolveCredentials } from '../config/credentials.js';
import { AuthError, NotFoundError, OtsError, ValidationError } from '../errors.js';
import type { Sender } from '../http/transport.js';
import { defaultLogger } from '../logger.js';
import { warnPlainHttp } from '../targets/plain-http.js';
import { type DomainOptions, parseTargets, uniqueTargets } from '../targets/targets.js';
import type {
  CheckOptions,
  CheckState,
  Client,
  RoundtripStep,
  StatusReport,
  Target,
  TargetStatus,
} from '../types.js';

export const DEFAULT_DEGRADED_MS = 2000;
/** The shortest TTL the service allows (docs/ots-api.md 1.4.1): a roundtrip secret that leaks dies soon. */
const ROUNDTRIP_TTL = 60;
const RANK: Record<CheckState, number> = { nominal: 0, degraded: 1, down: 2 };

/** The worst of several states (`nominal` for none). */
export function worstState(states: readonly CheckState[]): CheckState {
  return states.reduce<CheckState>((worst, s) => (RANK[s] > RANK[worst] ? s : worst), 'nominal');
}

function toTargets(targets: string | readonly (string | Target)[], options: DomainOptions): Target[] {
  if (typeof targets === 'string') return parseTargets(targets, options);
  const given = targets.filter((t): t is Target => typeof t === 'object' && t !== null);
  const text = targets.filter((t): t is string => typeof t === 'string');
  const all = [...given, ...(text.join('').trim() === '' ? [] : parseTargets(text, options))];
  if (all.length === 0) return parseTargets('');
  // parseTargets keeps each of its own once; given Target objects may repeat them or each other.
  return uniqueTargets(all);
}

function parseDegradedMs(value: number | undefined): number {
  if (value === undefined) return DEFAULT_DEGRADED_MS;
  if (!Number.isFinite(value) || value <= 0) {
    throw new ValidationError('degradedMs must be a positive number of milliseconds.', {
      input: 'degradedMs',
    });
  }
  return value;
}

/**
 * Checks every target concurrently: `GET /api/<version>/status`, then (with credentials) the
 * credential check, then (depth `roundtrip`) share, reveal, verify and a refused second reveal.
 * A target is `down` when any of these fails, `degraded` when it answered slowly or not `nominal`.
 */
export async function runStatusCheck(
  targets: string | readonly (string | Target)[],
  options: CheckOptions,
  sender: Sender,
): Promise<StatusReport> {
  const list = toTargets(targets, { allowHttp: options.allowHttp === true });
  warnPlainHttp(list, options.logger ?? defaultLogger);
  const apiVersion = parseApiVersion(options.apiVersion);
  const settings: ClientSettings = {
    apiVersion,
    timeoutMs: parseTimeoutMs(options.timeoutMs),
    credentials: resolveCredentials(options),
    sender,
  };
  checkVersionCredentials(apiVersion, settings.credentials);
  const degradedMs = parseDegradedMs(options.degradedMs);
  if (options.depth !== undefined && options.depth !== 'status' && options.depth !== 'roundtrip') {
    throw new ValidationError('depth must be status or roundtrip.', { input: 'depth' });
  }
  const checkedAt = new Date().toISOString();
  const anonymous: ClientSettings = { ...settings, credentials: undefined };
  const results = await Promise.all(
    list.map((target) =>
      checkTarget(
        {
          anonymous: clientForTarget(target, anonymous),
          account: settings.credentials ? clientForTarget(target, settings) : undefined,
        },
        target,
        { degradedMs, roundtrip: options.depth === 'roundtrip', signal: options.signal },
      ),
    ),
  );
  return { state: worstState(results.map((r) => r.state)), results, checkedAt };
}

interface CheckSettings {
  degradedMs: number;
  roundtrip: boolean;
  signal?: AbortSignal;
}

function describe(error: unknown): { message: string; httpStatus: number | null } {
  if (error instanceof OtsError) return { message: error.message, httpStatus: error.httpStatus ?? null };
  return { message: 'The check failed unexpectedly.', httpStatus: null };
}

/**
 * The status is read anonymously: v1 evaluates credentials on every call (docs/ots-api.md 1.1), so a revoked
 * token would otherwise make a healthy service look down. The account is checked on its own.
 */
interface TargetClients {
  anonymous: Client;
  account: Client | undefined;
}

async function checkTarget(
  clients: TargetClients,
  target: Target,
  settings: CheckSettings,
): Promise<TargetStatus> {
  const client = clients.anonymous;
  const result: TargetStatus = {
    target: target.name,
    url: statusUrl(client.apiVersion, target),
    state: 'down',
    httpStatus: null,
    latencyMs: null,
    message: '',
    checkedAt: new Date().toISOString(),
  };
  const started = performance.now();
  try {
    const { status } = await client.status({ signal: settings.signal });
    const latencyMs = Math.round(performance.now() - started);
    Object.assign(result, { httpStatus: 200, latencyMs });
    if (status !== 'nominal') {
      Object.assign(result, {
        state: 'degraded',
        message: `Answered "${shortWord(status)}" instead of nominal.`,
      });
    } else if (latencyMs > settings.degradedMs) {
      Object.assign(result, {
        state: 'degraded',
        message: `Nominal, but slow: ${latencyMs} ms (over ${settings.degradedMs} ms).`,
      });
    } else {
      Object.assign(result, { state: 'nominal', message: `Nominal in ${latencyMs} ms.` });
    }
  } catch (error) {
    const { message, httpStatus } = describe(error);
    Object.assign(result, { state: 'down', httpStatus, message, latencyMs: null });
    if (settings.signal?.aborted) throw settings.signal.reason;
    return result;
  }
  if (clients.account) await checkAuth(clients.account, result, settings.signal);
  // The roundtrip uses the account when it works, so it exercises what users of the account do.
  const roundtripClient = result.auth === 'ok' && clients.account ? clients.account : client;
  if (settings.roundtrip) await roundtrip(roundtripClient, result, settings.signal);
  return result;
}

/** A status word, shortened and limited to plain characters (it is quoted in a message). */
function shortWord(word: string): string {
  return word.replace(/[^\w .-]/g, '').slice(0, 40);
}

async function checkAuth(client: Client, result: TargetStatus, signal?: AbortSignal): Promise<void> {
  try {
    const { serverVersion } = await client.checkAuth({ signal });
    result.auth = 'ok';
    if (serverVersion !== undefined) result.serverVersion = serverVersion;
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    result.auth = 'failed';
    result.state = 'down';
    result.message +=
      error instanceof AuthError
        ? ' The service answered, but refused the credentials: check the token (it may be revoked) and ' +
          'that the account belongs to this region (each region has its own accounts).'
        : ` Credential check failed: ${describe(error).message}`;
  }
}

async function roundtrip(client: Client, result: TargetStatus, signal?: AbortSignal): Promise<void> {
  const started = performance.now();
  let step: RoundtripStep = 'share';
  try {
    const value = `onetime-kit roundtrip ${generateValue()}`;
    const shared = await client.share({ secret: value, ttl: ROUNDTRIP_TTL, signal });
    step = 'reveal';
    const revealed = await client.reveal(shared.secretKey, { signal });
    step = 'verify';
    if (revealed.value !== value) throw new Error('The revealed value differs from the shared one.');
    step = 'second-reveal';
    const again = await client.reveal(shared.secretKey, { signal }).then(
      () => 'revealed twice',
      (error: unknown) => (error instanceof NotFoundError ? 'refused' : error),
    );
    if (again !== 'refused') {
      throw again === 'revealed twice' ? new Error('A second reveal returned the secret again.') : again;
    }
    result.roundtrip = { ok: true, latencyMs: Math.round(performance.now() - started) };
    result.message += ` Roundtrip ok in ${result.roundtrip.latencyMs} ms.`;
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    result.roundtrip = { ok: false, failedStep: step, latencyMs: Math.round(performance.now() - started) };
    result.state = 'down';
    const why = error instanceof OtsError ? error.message : (error as Error).message;
    result.message += ` Roundtrip failed at ${step}: ${why}`;
  }
}
