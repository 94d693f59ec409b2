/** boundlab's command line: dispatch, and the one place errors become exit codes. */
import { readFileSync } from 'node:fs';
import { UsageError } from '../language/usage.ts';
import { closest } from '../language/closest.ts';
import { sayJson, warn } from './terminal.ts';

// Commands load on demand: checking a proof file need not start TensorFlow.js.
export const COMMANDS: Record<string, { run: (argv: readonly string[]) => Promise<number>; summary: string }> = {
  list: { run: async (argv) => (await import('./list.ts')).listCommand(argv), summary: 'theorems, families, optimisers and the backend' },
  verify: { run: async (argv) => (await import('./verify.ts')).verifyCommand(argv), summary: 'check theorems on real optimiser runs and sampled points' },
  check: { run: async (argv) => (await import('./check.ts')).checkCommand(argv), summary: 'check each step of Markdown proof files' },
  mutate: { run: async (argv) => (await import('./mutate.ts')).mutateCommand(argv), summary: 'mutation score of a proof file: how many wrong variants of its steps are refuted' },
  relax: { run: async (argv) => (await import('./relax.ts')).relaxCommand(argv), summary: 'search witnesses of relaxed assumptions for a counterexample' },
  tightness: { run: async (argv) => (await import('./tightness.ts')).tightnessCommand(argv), summary: 'the worst instance found against a bound, and their ratio' },
  experiment: { run: async (argv) => (await import('./experiment.ts')).experimentCommand(argv), summary: 'quantised training and compression experiments, each into one HTML page with plots' },
  law: { run: async (argv) => (await import('./law.ts')).lawCommand(argv), summary: "check a paper's exponent or bound over sizes and seeds on real training (consistent / inconsistent / inconclusive)" },
  pep: { run: async (argv) => (await import('./pep.ts')).pepCommand(argv), summary: 'the exact worst case of N steps by performance estimation (an SDP solved by csdp), against a bound' },
  report: { run: async (argv) => (await import('./report.ts')).reportCommand(argv), summary: 'verify theorems and check proofs into one self-contained HTML page (the main job)' },
};

const HELP = `usage: boundlab COMMAND [options]   (boundlab COMMAND --help for each)

boundlab checks convergence bounds of optimisers: each theorem is one mathjs
expression, checked at every step of real TensorFlow.js runs on functions whose
constants are known exactly.

commands:
${Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(10)} ${v.summary}`).join('\n')}

boundlab help COMMAND is boundlab COMMAND --help; boundlab --version prints the version.
With --json every error is also one JSON object on stdout: {"error": {"code", "message", "file"?, "line"?}}.

exit status: 0 all good; 1 a check failed; 2 bad usage, bad input, or an error.
`;

/** The package's version, from its package.json (two folders up from src/cli/ and from dist/cli/). */
export function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-V') {
    process.stdout.write(`boundlab ${version()}\n`);
    return 0;
  }
  // `boundlab help CMD` is `boundlab CMD --help`.
  if (command === 'help' && rest.length) return main([rest[0], '--help', ...rest.slice(1)]);
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command ? 0 : 2;
  }
  const entry = COMMANDS[command];
  // With --json a script reads the error from stdout too, as one JSON object.
  const json = rest.includes('--json');
  try {
    if (!entry) throw new UsageError(`unknown command '${command}'${closest(command, Object.keys(COMMANDS))}; boundlab --help lists them`);
    return await entry.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      warn(`boundlab: ${e.message}\n`);
      if (json) sayJson(errorJson(e, 'usage'));
      return 2;
    }
    // Anything else (a file that cannot be written, a worker that died) is not a failed check:
    // exit 2, never 1, with the message; the stack only on request.
    const err = e as Error;
    const message = `${command}: ${err?.message ?? String(e)}`;
    warn(`boundlab: ${message}\n`);
    if (process.env.BOUNDLAB_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
    else process.stderr.write('(set BOUNDLAB_DEBUG=1 for the stack trace)\n');
    if (json) sayJson(errorJson(new Error(message), 'error'));
    return 2;
  }
}

/**
 * The error document of --json: `{"error": {"code", "message", "file"?, "line"?}}`.
 * code: "usage" for bad usage or input (a malformed file carries its file and
 * line), "error" for anything else (a file that cannot be written).
 */
export function errorJson(e: Error, code: 'usage' | 'error'): { error: { code: string; message: string; file?: string; line?: number } } {
  const at = e as Error & { file?: unknown; line?: unknown };
  return {
    error: {
      code, message: e.message,
      ...(typeof at.file === 'string' ? { file: at.file } : {}),
      ...(typeof at.line === 'number' ? { line: at.line } : {}),
    },
  };
}
