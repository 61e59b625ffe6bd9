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
import type { CheckOptions, Client, RoundtripStep, StatusReport, Target, TargetStatus } from '../types.js';
import { CHECK_DEPTHS } from './options.js';
import { worstState } from './states.js';

export const DEFAULT_DEGRADED_MS = 2000;
/** The shortest TTL the service allows (docs/ots-api.md 1.4.1): a roundtrip secret that leaks dies soon. */
const ROUNDTRIP_TTL = 60;

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

/** The clock latencies are measured with, in milliseconds; a test gives its own. */
function parseClock(now: (() => number) | undefined): () => number {
  if (now === undefined) return () => performance.now();
  if (typeof now !== 'function') {
    throw new ValidationError('now must be a function returning milliseconds.', { input: 'now' });
  }
  return now;
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
  if (options.depth !== undefined && !CHECK_DEPTHS.includes(options.depth)) {
    throw new ValidationError(`depth must be ${CHECK_DEPTHS.join(' or ')}.`, { input: 'depth' });
  }
  const now = parseClock(options.now);
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
        { degradedMs, roundtrip: options.depth === 'roundtrip', signal: options.signal, now },
      ),
    ),
  );
  return { state: worstState(results.map((r) => r.state)), results, checkedAt };
}

interface CheckSettings {
  degradedMs: number;
  roundtrip: boolean;
  signal?: AbortSignal;
  now: () => number;
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
  const checkedAt = new Date().toISOString();
  const client = clients.anonymous;
  const result: TargetStatus = {
    target: target.name,
    url: statusUrl(client.apiVersion, target),
    ...(await readStatus(client, settings)),
    checkedAt,
  };
  // Only a status that did not answer is down here: with no answer there is nothing more to check.
  if (result.state === 'down') return result;
  if (clients.account) await checkAuth(clients.account, result, settings.signal);
  // The roundtrip uses the account when it works, so it exercises what users of the account do.
  const roundtripClient = result.auth === 'ok' && clients.account ? clients.account : client;
  if (settings.roundtrip) await roundtrip(roundtripClient, result, settings);
  return result;
}

type StatusReading = Pick<TargetStatus, 'state' | 'httpStatus' | 'latencyMs' | 'message'>;

/** `GET /api/<version>/status`, timed: an answer is nominal or degraded, no answer is down. */
async function readStatus(client: Client, settings: CheckSettings): Promise<StatusReading> {
  const started = settings.now();
  try {
    const { status } = await client.status({ signal: settings.signal });
    const latencyMs = Math.round(settings.now() - started);
    const { state, message } = judgeAnswer(status, latencyMs, settings.degradedMs);
    return { state, httpStatus: 200, latencyMs, message };
  } catch (error) {
    if (settings.signal?.aborted) throw settings.signal.reason;
    const { message, httpStatus } = describe(error);
    return { state: 'down', httpStatus, latencyMs: null, message };
  }
}

/** An answer's state: another word than nominal, or nominal but slower than degradedMs, is degraded. */
function judgeAnswer(
  status: string,
  latencyMs: number,
  degradedMs: number,
): Pick<TargetStatus, 'state' | 'message'> {
  if (status !== 'nominal') {
    return { state: 'degraded', message: `Answered "${shortWord(status)}" instead of nominal.` };
  }
  if (latencyMs > degradedMs) {
    return { state: 'degraded', message: `Nominal, but slow: ${latencyMs} ms (over ${degradedMs} ms).` };
  }
  return { state: 'nominal', message: `Nominal in ${latencyMs} ms.` };
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

/** Why a roundtrip failed: a call failed, or the service answered what it must not. */
type RoundtripProblem =
  | { kind: 'call-failed'; message: string }
  | { kind: 'value-differs' }
  | { kind: 'revealed-twice' };

interface RoundtripFailure {
  step: RoundtripStep;
  problem: RoundtripProblem;
}

function problemText(problem: RoundtripProblem): string {
  switch (problem.kind) {
    case 'call-failed':
      return problem.message;
    case 'value-differs':
      return 'The revealed value differs from the shared one.';
    case 'revealed-twice':
      return 'A second reveal returned the secret again.';
  }
}

async function roundtrip(client: Client, result: TargetStatus, settings: CheckSettings): Promise<void> {
  const started = settings.now();
  const failure = await roundtripFailure(client, settings.signal);
  const latencyMs = Math.round(settings.now() - started);
  if (failure === undefined) {
    result.roundtrip = { ok: true, latencyMs };
    result.message += ` Roundtrip ok in ${latencyMs} ms.`;
    return;
  }
  result.roundtrip = { ok: false, failedStep: failure.step, latencyMs };
  result.state = 'down';
  result.message += ` Roundtrip failed at ${failure.step}: ${problemText(failure.problem)}`;
}

/** Share, reveal, verify, and a second reveal that must be refused; undefined when all went right. */
async function roundtripFailure(client: Client, signal?: AbortSignal): Promise<RoundtripFailure | undefined> {
  let step: RoundtripStep = 'share';
  try {
    const value = `onetime-kit roundtrip ${generateValue()}`;
    const shared = await client.share({ secret: value, ttl: ROUNDTRIP_TTL, signal });
    step = 'reveal';
    const revealed = await client.reveal(shared.secretKey, { signal });
    if (revealed.value !== value) return { step: 'verify', problem: { kind: 'value-differs' } };
    step = 'second-reveal';
    await client.reveal(shared.secretKey, { signal });
    return { step, problem: { kind: 'revealed-twice' } };
  } catch (error) {
    // The secret is gone after one reveal: the second one being refused is the roundtrip passing.
    if (step === 'second-reveal' && error instanceof NotFoundError) return undefined;
    if (signal?.aborted) throw signal.reason;
    return { step, problem: { kind: 'call-failed', message: errorText(error) } };
  }
}

/** The service's own words for its errors; anything else thrown (a bug, a runtime error) as it said it. */
function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
