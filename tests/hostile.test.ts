/**
 * The hostile corpus (tests/fixtures/hostile/cases.yaml): malformed and
 * adversarial proof files, and commands with hostile arguments. Every file is
 * checked in one run, in name order, under a 1 GB heap: the files that try to
 * change global state (mathjs `config`, `import`, ...) come before honest ones
 * (zz-*) that must still be judged right. Each file's verdict, exit code and
 * message are the manifest's; no input crashes, hangs or runs out of memory.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { exitCode } from '../src/cli/check.ts';
import type { FileResult } from '../src/proofs/result.ts';
import { HANG_MS } from './hang.ts';
import { mainHere } from './fixtures/main-here.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/boundlab.mjs');
const H = join(ROOT, 'tests/fixtures/hostile');

interface FileCase { verdict: string; exit: number; says: string }
interface CommandCase { args: string[]; exit: number; says: string; json?: { files: number; last: string; tolerance?: number } }
const manifest = parseYaml(readFileSync(join(H, 'cases.yaml'), 'utf8')) as { files: Record<string, FileCase>; commands: CommandCase[] };

/** boundlab under a 1 GB heap: an input that needs more makes the process die, and the test fail (the whole corpus runs so). */
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, ['--max-old-space-size=1024', BIN, ...args], { encoding: 'utf8', timeout: HANG_MS, maxBuffer: 64 << 20 });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
};

/** boundlab's main in this process (mainHere), the shape of run's: no signal can end it here, a crash would throw. */
const here = async (args: string[]) => ({ ...(await mainHere(args)), signal: null });

// C0 but \t \n, DEL, C1, separators and bidi controls: none may reach a terminal raw
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const messageOf = (f: FileResult): string =>
  [f.error ?? '', f.reason ?? '', ...[...f.steps, ...(f.claim ? [f.claim] : [])].map((s) => s.message ?? '')].join('\n');

describe('the hostile corpus, checked in one run', () => {
  const names = Object.keys(manifest.files);
  let files: FileResult[] = [];
  let whole: ReturnType<typeof run>;
  beforeAll(() => {
    whole = run(['check', '--json', ...names.map((n) => join(H, n))]);
    files = JSON.parse(whole.out).files;
  });

  it('lists every file of the folder, and has at least 60 of them', () => {
    const onDisk = readdirSync(H).filter((f) => f.endsWith('.md')).sort();
    expect(names.slice().sort()).toEqual(onDisk);
    expect(names.length + manifest.commands.length).toBeGreaterThanOrEqual(60);
  });

  it('ends normally with the exit code of its worst file, and a result for every file', () => {
    expect(whole.signal).toBeNull();
    expect(whole.code).toBe(2);
    expect(files.map((f) => f.file)).toEqual(names.map((n) => join(H, n)));
  });

  it.each(names)('%s', (name) => {
    const expected = manifest.files[name];
    const f = files.find((x) => x.file === join(H, name))!;
    expect(f.verdict, messageOf(f)).toBe(expected.verdict);
    expect(exitCode([f])).toBe(expected.exit);
    if (expected.says) expect(messageOf(f)).toMatch(new RegExp(expected.says, 'm'));
    // one file:line prefix, never two
    expect(messageOf(f)).not.toMatch(/\.md:\d+: [^\n]*\.md:\d+:/);
  });

  it('shows the tolerance in force for every file it checked', () => {
    for (const f of files) if (f.verdict !== 'error' || f.steps.length) expect(f.tolerance).toBe(1e-9);
  });

  it('prints no raw control character, as text or as JSON, however the files are written', async () => {
    const text = await here(['check', ...names.filter((n) => n.startsWith('terminal-')).map((n) => join(H, n))]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/\\x1b\]0;pwned\\x07\\x1b\[2J cleared/);
    expect(text.out).toMatch(/\\u202egnp\.exe/);
    expect(text.out + text.err).not.toMatch(RAW_CONTROL);
    expect(whole.out).not.toMatch(RAW_CONTROL);
    // and the JSON still says what the file says
    expect(files.find((f) => f.file.endsWith('terminal-title-escapes.md'))!.title).toBe('\u001b]0;pwned\u0007\u001b[2J cleared');
  });
});

describe('hostile command lines', () => {
  it.each(manifest.commands.map((c) => [c.args.join(' '), c] as const))('%s', async (_, c) => {
    const args = c.args.map((a) => a.replace('{H}', H));
    const r = await here(c.json ? [...args, '--json'] : args);
    expect(r.signal).toBeNull();
    expect(r.code, r.err).toBe(c.exit);
    if (c.says) expect(r.err + r.out).toMatch(new RegExp(c.says.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('≥', '≥')));
    expect(r.err).not.toMatch(/^\s+at |node:internal|TypeError|ReferenceError/m);
    if (c.json) {
      const doc = JSON.parse(r.out) as { files: FileResult[] };
      expect(doc.files).toHaveLength(c.json.files);
      expect(doc.files[doc.files.length - 1].verdict).toBe(c.json.last);
      if (c.json.tolerance !== undefined) expect(doc.files[0].tolerance).toBe(c.json.tolerance);
    }
  });
});

describe('an interrupted report', () => {
  it('leaves no temporary file behind, whenever the signal comes', async () => {
    const out = mkdtempSync(join(tmpdir(), 'boundlab-killed-'));
    for (const delay of [500, 4000]) {
      const child = spawn(process.execPath, [BIN, 'report', join(H, 'zz-right-after-hostile.md'), '--out', out], { stdio: 'ignore' });
      const ended = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal === 'SIGTERM' ? 143 : code)));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGTERM');
      const code = await ended;
      // ended by the signal (its handler exits 143; before it is installed, the signal itself ends it), or already finished (0)
      expect([0, 143]).toContain(code);
      expect(readdirSync(out).filter((f) => f.includes('.tmp'))).toEqual([]);
    }
  });
});
