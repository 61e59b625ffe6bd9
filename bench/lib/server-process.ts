/** A server in a child process of its own group: started, waited for, and stopped with its workers. */
import { type ChildProcess, spawn } from 'node:child_process';

const KEEP_CHARS = 64 * 1024;

export interface ServerProcess {
  child: ChildProcess;
  /** The last 64 KiB it printed. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `command`, resolving once its output matches `ready` (the match is returned with it). */
export function startServer(
  command: string,
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; ready: RegExp; timeoutMs?: number },
): Promise<{ server: ServerProcess; match: RegExpExecArray }> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true, // its own process group, so stop() ends its workers too
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const server: ServerProcess = {
    child,
    output: () => output,
    stop: () => stopGroup(child),
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void server.stop();
      reject(new Error(`${command} was not ready in time:\n${output.slice(-3000)}`));
    }, options.timeoutMs ?? 180_000);
    let ready = false;
    const watch = (chunk: Buffer) => {
      // Only the tail is kept: a server under load can print megabytes of request logs.
      output = (output + chunk.toString()).slice(-KEEP_CHARS);
      if (ready) return;
      const match = options.ready.exec(output);
      if (match) {
        ready = true;
        clearTimeout(timer);
        resolve({ server, match });
      }
    };
    child.stdout?.on('data', watch);
    child.stderr?.on('data', watch);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code}:\n${output.slice(-3000)}`));
    });
  });
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // Already gone.
    }
  };
  signal('SIGINT');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  signal('SIGKILL');
}
