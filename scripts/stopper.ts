/**
 * How `npm start` stops: the first Ctrl-C, SIGTERM or SIGHUP stops the child's process group (SIGINT,
 * then SIGKILL after the grace time) and then the rest; a second signal while that runs exits at once.
 * Kept apart from start.ts so a test can drive it with a child that takes its time to stop.
 */
import type { ChildProcess } from 'node:child_process';
import { killGroup, stopGroup } from './processes.js';

export interface StopperOptions {
  /** The child to stop; undefined before it is started. */
  getChild: () => ChildProcess | undefined;
  /** Stops what runs in this process (the sandbox), after the child is gone. */
  stopRest: () => Promise<void>;
  /** How long the child gets after SIGINT before it is killed. */
  graceMs: number;
}

const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

/** Installs the signal handlers; returns `stop(exitCode)`, which runs once whoever asks first. */
export function installStopper({ getChild, stopRest, graceMs }: StopperOptions) {
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const child = getChild();
    if (child !== undefined) await stopGroup(child, graceMs);
    await stopRest();
    process.exit(code);
  };
  const onSignal = (signal: keyof typeof SIGNAL_NUMBERS) => {
    if (!stopping) {
      // Ctrl-C is how a user ends it on purpose: success. Otherwise the shell's 128 + signal.
      void stop(signal === 'SIGINT' ? 0 : 128 + SIGNAL_NUMBERS[signal]);
      return;
    }
    console.error('Stopping now.');
    const child = getChild();
    if (child !== undefined) killGroup(child);
    process.exit(130);
  };
  for (const signal of Object.keys(SIGNAL_NUMBERS) as (keyof typeof SIGNAL_NUMBERS)[]) {
    process.on(signal, onSignal);
  }
  // Whatever the way out (an error included), the child's group never outlives this process.
  process.on('exit', () => {
    const child = getChild();
    if (child !== undefined) killGroup(child);
  });
  return stop;
}
