/**
 * The process handling behind `npm start`: checking ports before anything starts, waiting for
 * serverless-offline to be ready (or giving up with a clear message), and stopping its whole process
 * group, forcefully when it does not stop when asked.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A bad setting the user can fix: printed as one line, no stack trace. */
export class StartError extends Error {
  override name = 'StartError';
}

/** A TCP port from an environment variable: a whole number from 1 to 65535 (0 only where allowed). */
export function parsePort(
  value: string | undefined,
  name: string,
  fallback: number,
  allowZero = false,
): number {
  if (value === undefined || value.trim() === '') return fallback;
  const text = value.trim();
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  const min = allowZero ? 0 : 1;
  if (!(port >= min && port <= 65_535)) {
    const shown = /^[\w.-]{1,20}$/.test(text) ? `"${text}"` : 'the value given';
    const zero = allowZero ? ' (0: any free port)' : '';
    throw new StartError(`${name} must be a port number from ${min} to 65535${zero}; got ${shown}.`);
  }
  return port;
}

/** Listens on the port for a moment: taken gives a message naming the variable that changes it. */
export function ensurePortFree(port: number, host: string, variable: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new StartError(
            `port ${port} is taken: set ${variable}=<another port> (for example ${variable}=3001).`,
          ),
        );
      } else if (error.code === 'EACCES') {
        reject(
          new StartError(
            `port ${port} needs privileges on this machine: set ${variable} to a port above 1023.`,
          ),
        );
      } else {
        reject(error);
      }
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** A free port on `host`, chosen by the system. */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/**
 * Relays the child's output and resolves when a line contains `marker`. Rejects when the child exits
 * first, or when `timeoutMs` passes without it (osls stuck on a build, say) instead of waiting forever.
 */
export function waitForReady(
  child: ChildProcess,
  options: { marker: string; timeoutMs: number; name: string; echo?: boolean },
): Promise<void> {
  const echo = options.echo ?? true;
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      reject(
        new StartError(
          `${options.name} did not say it was ready within ${duration(options.timeoutMs)}; ` +
            'its output is above. Stopping.',
        ),
      );
    }, options.timeoutMs);
    const relay = (to: NodeJS.WritableStream) => (chunk: Buffer) => {
      if (echo) to.write(chunk);
      // Keep a short tail, so a marker split across two chunks is still found.
      seen = (seen + chunk.toString()).slice(-options.marker.length * 4);
      if (seen.includes(options.marker)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', relay(process.stdout));
    child.stderr?.on('data', relay(process.stderr));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new StartError(`${options.name} exited (${signal ?? `code ${code}`}) before it was ready.`));
    });
  });
}

function duration(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // The negative pid is the child's process group (it was spawned detached): osls and its workers.
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Asks the child's process group to stop (SIGINT, as Ctrl-C would), and after `graceMs` forces it
 * (SIGKILL). The group is signalled even when the child itself has exited: workers it started may not
 * have. Resolves once the child is gone.
 */
export async function stopGroup(child: ChildProcess, graceMs: number): Promise<'stopped' | 'killed'> {
  signalGroup(child, 'SIGINT');
  if (await exited(child, graceMs)) {
    signalGroup(child, 'SIGKILL'); // leftovers of the group, if any
    return 'stopped';
  }
  signalGroup(child, 'SIGKILL');
  await exited(child, graceMs);
  return 'killed';
}

/** Kills the group at once; for the last moment (process exit, a second Ctrl-C). */
export function killGroup(child: ChildProcess): void {
  signalGroup(child, 'SIGKILL');
}
