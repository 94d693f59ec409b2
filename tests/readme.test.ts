/**
 * Every `npx boundlab ...` command in the README's fenced shell blocks, run as
 * written (in a scratch folder holding the repository's proofs/ and theorems/)
 * with small sizes appended: a later value of an option wins, so `--steps 200`
 * followed by `--steps 10` runs 10 steps. A command may find a violation at
 * that size (exit 1) but never be refused (exit 2): the README shows nothing a
 * user would have to fix. Left out: `report` without targets (twice in the
 * README), which is the whole default job with every experiment and law check
 * at its own size; bench/report.ts times it, tests/report.test.ts checks its parts.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HANG_MS } from './hang.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/boundlab.mjs');

/** The README's `npx boundlab` lines, comments and output redirections dropped. */
export function readmeCommands(readme: string): string[] {
  const blocks = [...readme.matchAll(/^```(?:sh|bash)\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  return blocks.flatMap((b) => b.split('\n'))
    .map((l) => l.replace(/\s+#.*$/, '').replace(/\s*>\s*\S+$/, '').trim())
    .filter((l) => l.startsWith('npx boundlab '))
    .flatMap((l) => l.split(/\s*&&\s*/).filter((c) => c.startsWith('npx boundlab ')));
}

/** Words of a command line: double-quoted strings kept whole, globs over the folder's files. */
function words(line: string, cwd: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|(\S+)/g)) {
    const w = m[1] ?? m[2];
    const glob = m[2] && /^([\w./-]+)\/\*(\.\w+)$/.exec(w);
    if (glob) out.push(...readdirSync(join(cwd, glob[1])).filter((f) => f.endsWith(glob[2])).sort().map((f) => `${glob[1]}/${f}`));
    else out.push(w);
  }
  return out;
}

/** Small sizes for each command, appended (the later value of an option wins). */
const SMALL: Record<string, string[]> = {
  verify: ['--instances', '2', '--steps', '10', '--seeds', '8'],
  check: ['--samples', '20'],
  mutate: ['--samples', '20'],
  relax: ['--instances', '4', '--rounds', '2', '--steps', '20'],
  tightness: ['--instances', '4', '--rounds', '2'],
  experiment: [],
  law: ['--seeds', '2'],
  report: ['--instances', '2', '--steps', '10', '--samples', '20', '--fast'],
  list: [],
};
/** Experiments and laws each take their own sizes (and ranges): small ones by id, as tests/experiments.test.ts runs them. */
const SMALL_BY_ID: Record<string, string[]> = {
  'two-moons': ['--steps', '12', '--seeds', '2'],
  'askewsgd-logistic': ['--steps', '8', '--seeds', '2'],
  'binaryconnect-unbiased': ['--steps', '500'],
  'network-gpfq': ['--steps', '60', '--seeds', '2'],
  gpfq: ['--steps', '256'],
  'lazy-training': ['--widths', '16,64'],
};

const COMMANDS = readmeCommands(readFileSync(join(ROOT, 'README.md'), 'utf8'));
let cwd = '';

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'boundlab-readme-'));
  for (const d of ['proofs', 'theorems']) symlinkSync(join(ROOT, d), join(cwd, d), 'dir');
  writeFileSync(join(cwd, 'questions.md'), 'Which step size should the next run use?\n');
  // `--since reports/index.json` needs an earlier report there.
  mkdirSync(join(cwd, 'reports'));
  const r = spawnSync(process.execPath, [BIN, 'report', 'gd-pl', '--out', 'reports', ...SMALL.report], { cwd, encoding: 'utf8', timeout: HANG_MS });
  if (r.status !== 0) throw new Error(`the earlier report failed: ${r.stderr}`);
});

afterAll(() => { if (cwd) rmSync(cwd, { recursive: true, force: true }); });

describe('the README', () => {
  it('has its commands found by the extraction', () => {
    expect(COMMANDS.length).toBeGreaterThan(20);
    expect(COMMANDS).toContain('npx boundlab verify gd-convex --family huber --steps 200 --set gamma=1/L --json');
  });

  /** `report` with options only: the whole default job. */
  const wholeReport = (c: string) => /^npx boundlab report(\s+--|$)/.test(c);

  it.each(COMMANDS.filter((c) => !wholeReport(c)).map((c) => [c]))('%s', (line) => {
    const [, , command, ...rest] = words(line, cwd);
    const small = [...(SMALL[command] ?? []), ...(['experiment', 'law'].includes(command) ? SMALL_BY_ID[rest[0]] ?? [] : [])];
    expect(SMALL[command], `no small sizes for '${command}'`).toBeDefined();
    const r = spawnSync(process.execPath, [BIN, command, ...rest, ...small, '--quiet'], { cwd, encoding: 'utf8', timeout: HANG_MS });
    expect(r.status, `${line}\n${r.stderr}`).not.toBe(2);
    expect([0, 1]).toContain(r.status);
    expect(r.stdout.length + readdirSync(cwd).length).toBeGreaterThan(0);
    if (rest.includes('--json')) expect(() => JSON.parse(r.stdout)).not.toThrow();
  });
});
