/**
 * `npm start` hands `CONNEXO_HEAP_MB` to Node as `--max-old-space-size` on
 * its command line, before anything here runs. Set anywhere Node does not see
 * it then (a `.env` file, read only once the server starts), or given
 * instead in `NODE_OPTIONS` (which the command line overrides), it silently
 * does nothing: these say so.
 */

const FLAG = /^--max-old-space-size=(\d+)$/;

/** The last `--max-old-space-size` among these arguments, in MB; null if none. */
function lastFlag(args: readonly string[]): number | null {
  let found: number | null = null;
  for (const arg of args) {
    const match = FLAG.exec(arg);
    if (match) found = Number(match[1]);
  }
  return found;
}

/**
 * What is wrong with the heap limit the process runs with, for the operator;
 * null when it is the configured one, or when the process was started without
 * one (`npm run dev`, the tests, the command-line tool).
 */
export function heapLimitProblem(heapMb: number, execArgv: readonly string[], nodeOptions: string | undefined): string | null {
  const given = lastFlag(execArgv);
  const asked = lastFlag((nodeOptions ?? "").split(/\s+/));
  if (given === null) return null;
  if (given !== heapMb) {
    return `CONNEXO_HEAP_MB is ${heapMb}, but this process's heap is limited to ${given} MB: npm start reads CONNEXO_HEAP_MB from its environment before the server starts, so set it there (the shell, or systemd's EnvironmentFile), not in .env.`;
  }
  if (asked !== null && asked !== given) {
    return `NODE_OPTIONS asks for a heap of ${asked} MB, but npm start gives Node CONNEXO_HEAP_MB (${given} MB), which wins: set CONNEXO_HEAP_MB instead.`;
  }
  return null;
}
