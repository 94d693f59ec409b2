/**
 * Loading theorem files: read, parse, and register the method as an optimiser
 * the runs can use; and the lookup every command uses, an id of the
 * catalogue or a path to a theorem file.
 */
import { existsSync } from 'node:fs';
import { readInput } from '../language/input.ts';
import { relative, resolve } from 'node:path';
import { closest } from '../language/closest.ts';
import { describedOptimizer } from '../methods/optimizer.ts';
import { registerOptimizer } from '../optimizers/index.ts';
import { ProofError } from '../language/usage.ts';
import { THEOREMS, theoremById } from '../theorems/index.ts';
import type { Theorem } from '../theorems/types.ts';
import { UsageError } from '../language/usage.ts';
import { parseTheoremFile, type TheoremFile } from './parse.ts';

const LOADED = new Map<string, TheoremFile>();

/** Whether a command argument names a file rather than a catalogue id. */
export const isTheoremPath = (arg: string): boolean => arg.endsWith('.md') || arg.includes('/');

/** Parse a theorem file's text and register its method (under an id made from `file`). */
export function loadTheoremText(text: string, file: string): TheoremFile {
  const tf = parseTheoremFile(text, file, `file:${file}`);
  registerOptimizer(describedOptimizer(tf.optimizer, `the method of ${file}`, tf.method));
  LOADED.set(file, tf);
  return tf;
}

/** Whether a Markdown file is a theorem file (its front matter has `method:`) rather than a proof file. */
export function isTheoremFileText(text: string): boolean {
  const m = /^---\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)\s*$/m.exec(text);
  return m !== null && /^method\s*:/m.test(m[1]);
}

/** What each file held when it was parsed, by absolute path: a file edited since (in a notebook, say) is parsed again. */
const READ = new Map<string, { text: string; tf: TheoremFile }>();

/** Read, parse and register a theorem file (parsed again only when its text or its name from here changed). */
export function loadTheoremFile(path: string): TheoremFile {
  const abs = resolve(path);
  const file = relative(process.cwd(), abs) || path;
  if (!existsSync(path)) throw new UsageError(`theorem file '${path}' does not exist`);
  const text = readInput(path);
  const hit = READ.get(abs);
  if (hit && hit.text === text && hit.tf.file === file) return hit.tf;
  const tf = loadTheoremText(text, file);
  READ.set(abs, { text, tf });
  return tf;
}

/** A catalogue id or a theorem file path, as a Theorem; a clear usage error otherwise. */
export function resolveTheorem(arg: string, command: string): Theorem {
  if (isTheoremPath(arg)) return loadTheoremFile(arg).theorem;
  const th = theoremById(arg);
  if (!th) throw new UsageError(`${command}: unknown theorem '${arg}'${closest(arg, THEOREMS.map((t) => t.id))} (or give a theorem file, path/to/file.md)`);
  return th;
}

/** The theorem file a theorem came from, if any. */
export function theoremFileOf(th: Theorem): TheoremFile | undefined {
  return [...LOADED.values()].find((tf) => tf.theorem === th);
}

/**
 * A usage error about a file theorem's parameters, pointed at the line of the
 * constraint it names (file:line, as every other error about the file).
 */
export function locateError(th: Theorem, e: unknown): unknown {
  const tf = theoremFileOf(th);
  if (!tf || !(e instanceof UsageError) || e instanceof ProofError) return e;
  const hit = Object.entries(tf.constraintLines).find(([source]) => e.message.includes(source));
  const detail = e.message.startsWith(`${th.id}: `) ? e.message.slice(th.id.length + 2) : e.message;
  return new ProofError(tf.file, hit ? hit[1] : 1, hit ? `${detail} (the constraint on this line; choose a value inside it)` : detail);
}
