/**
 * What a reader needs to reproduce the report: versions, the backend that ran,
 * the seed and options, the date, the commit and the command line.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface Environment {
  boundlab: string;
  node: string;
  tfjs: string;
  /** TensorFlow.js backends the runs used (none when nothing was run). */
  backends: string[];
  seed: number;
  /** instances, steps, samples as given (absent: the commands' defaults). */
  options: Record<string, number>;
  date: string;
  /** HEAD of the git repository in the working directory, when there is one. */
  commit?: string;
  /** The working tree differs from the commit (tracked files only). */
  dirty?: boolean;
  command: string;
}

const packageVersion = (path: string | URL): string => (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;

/** `command` is the boundlab command that made the page (default 'report'); `argv` its arguments. */
export function environment(args: { backends: string[]; seed: number; options: Record<string, number>; argv: readonly string[]; command?: string }): Environment {
  const require = createRequire(import.meta.url);
  const git = (...a: string[]): string | undefined => {
    try {
      return execFileSync('git', a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return undefined;
    }
  };
  const commit = git('rev-parse', 'HEAD');
  return {
    boundlab: packageVersion(new URL('../../package.json', import.meta.url)),
    node: process.version,
    tfjs: packageVersion(require.resolve('@tensorflow/tfjs/package.json')),
    backends: args.backends,
    seed: args.seed,
    options: args.options,
    date: new Date().toISOString(),
    ...(commit ? { commit, dirty: (git('status', '--porcelain', '--untracked-files=no') ?? '') !== '' } : {}),
    command: ['boundlab', args.command ?? 'report', ...args.argv].map(shellQuote).join(' '),
  };
}

/** A word as a POSIX shell reads it back. */
const shellQuote = (word: string): string => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);
