/**
 * `npm start`'s schedule: the scheduled function invoked every OTS_LOCAL_SCHEDULE_SECONDS (default 60;
 * 0 turns it off) through serverless-offline's Lambda Invoke API, with the Scheduled Event envelope
 * EventBridge sends. A run still going when the next is due is not doubled; a failed run is one line.
 */
import { StartError } from './processes.js';

export const DEFAULT_SCHEDULE_SECONDS = 60;

export function parseScheduleSeconds(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_SCHEDULE_SECONDS;
  const text = value.trim();
  const seconds = /^\d{1,6}$/.test(text) ? Number(text) : Number.NaN;
  if (!(seconds >= 0 && seconds <= 86_400)) {
    const shown = /^[\w.-]{1,20}$/.test(text) ? `"${text}"` : 'the value given';
    throw new StartError(
      `OTS_LOCAL_SCHEDULE_SECONDS must be a whole number of seconds from 0 (off) to 86400; got ${shown}.`,
    );
  }
  return seconds;
}

export function describeSchedule(seconds: number): string {
  return seconds === 0
    ? 'the scheduled check is off (OTS_LOCAL_SCHEDULE_SECONDS=0)'
    : `the scheduled check runs every ${seconds} s (OTS_LOCAL_SCHEDULE_SECONDS)`;
}

export function scheduledEvent(now: Date): Record<string, unknown> {
  return {
    version: '0',
    id: `local-${now.getTime()}`,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'eu-west-1',
    resources: ['arn:aws:events:eu-west-1:000000000000:rule/onetime-kit-local-schedule'],
    detail: {},
  };
}

/** The Invoke API URL of a function served by serverless-offline on `lambdaPort`. */
export function invokeUrl(lambdaPort: number, functionName: string): string {
  return `http://127.0.0.1:${lambdaPort}/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`;
}

export interface LocalSchedule {
  /** Resolves when the run in flight, if any, has ended. */
  stop(): Promise<void>;
}

export function startLocalSchedule(options: {
  url: string;
  seconds: number;
  log?: (line: string) => void;
}): LocalSchedule {
  const log = options.log ?? ((line: string) => console.log(line));
  if (options.seconds === 0) return { stop: async () => undefined };
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped || running !== undefined) return;
    running = invokeOnce(options.url, log).finally(() => {
      running = undefined;
    });
  };
  const timer = setInterval(tick, options.seconds * 1000);
  tick();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

async function invokeOnce(url: string, log: (line: string) => void): Promise<void> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(scheduledEvent(new Date())),
      signal: AbortSignal.timeout(120_000),
    });
    const body = (await response.json().catch(() => ({}))) as { state?: string; transitions?: unknown[] };
    if (!response.ok || body.state === undefined) {
      log(`Local schedule: the scheduled function answered HTTP ${response.status} (see its log above).`);
      return;
    }
    const changes = Array.isArray(body.transitions) ? body.transitions.length : 0;
    log(`Local schedule: checked, ${body.state}${changes > 0 ? `, ${changes} state change(s)` : ''}.`);
  } catch (error) {
    log(`Local schedule: the run failed (${error instanceof Error ? error.name : 'unknown error'}).`);
  }
}
