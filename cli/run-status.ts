/** `ots status [targets]`: checks every target at once, prints a table (or JSON), exits by --fail-on. */
import type { StatusReport } from '../src/index.js';
import { checkStatus } from '../src/index.js';
import type { RunContext } from './context.js';
import { writeJson } from './context.js';
import { formatStatus } from './format.js';
import { accountSettings, statusTargets } from './settings.js';
import { statusExitCode } from './verdict.js';

export async function runStatus(ctx: RunContext): Promise<number> {
  const { flags, io } = ctx;
  const targets = statusTargets(ctx.positionals, flags, io.env, ctx.logger);
  const { username, token } = accountSettings(flags, io.env, ctx.redactor);
  const progress = showProgress(ctx, targets.length);
  let report: StatusReport;
  try {
    report = await checkStatus(targets, {
      username,
      token,
      apiVersion: flags.apiVersion,
      timeoutMs: flags.timeoutMs,
      degradedMs: flags.degradedMs,
      depth: flags.depth,
      logger: ctx.logger,
    });
  } finally {
    progress.done();
  }
  if (flags.json) writeJson(ctx, report);
  else io.stdout.write(formatStatus(report));
  return statusExitCode(report, flags.failOn);
}

/** A line on stderr while many targets are checked; only on a terminal, so logs and pipes stay clean. */
function showProgress(ctx: RunContext, count: number): { done(): void } {
  if (!ctx.io.stderr.isTTY || count < 2) return { done: () => undefined };
  ctx.stderr.write(`checking ${count} targets…`);
  return { done: () => ctx.stderr.write('\r\x1b[K') };
}
