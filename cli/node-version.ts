/**
 * The CLI needs Node 22.19 or newer (package.json `engines`; undici 8 fails on import below it, with a
 * stack trace that names neither the cause nor the fix). Imported first by index.ts, so an older Node
 * gets one clear line and exit code 1 before anything else loads.
 */
const MINIMUM = [22, 19] as const;

/** The message for a Node too old to run the CLI, or undefined when `version` (such as "22.23.3") is enough. */
export function nodeTooOld(version: string): string | undefined {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1])) return undefined;
  return `ots needs Node ${MINIMUM.join('.')} or newer; this is Node ${version}. Install a current Node (22, 24 or 26).`;
}

const problem = nodeTooOld(process.versions.node);
if (problem !== undefined) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
