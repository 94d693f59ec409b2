/**
 * The performance-estimation tests run `boundlab` in their own process
 * (tests/fixtures/main-here.ts) instead of spawning `node bin/boundlab.mjs`:
 * every command they run, in their order, both ways, compared: exit code,
 * stdout (the JSON field by field, `seconds` left out; other output as text),
 * stderr, and the proof files written. The in-process commands share one
 * process, as a test file's do (the checker's caches carry over from one
 * check to the next). Prints each command's CPU both ways and the
 * mismatches (exit 1 when there is one). Run `npm run build` first so the
 * spawned side runs compiled code, as in the suite.
 *   npx tsx bench/pep-in-process.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { mainHere, type HereResult } from '../tests/fixtures/main-here.ts';
import { writeTooStrongGd } from '../tests/fixtures/pep-planted.ts';
import { perturbWeight } from '../tests/fixtures/perturb-weight.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/boundlab.mjs');
const base = mkdtempSync(join(tmpdir(), 'bench-pep-in-process-'));
/** CPU seconds of this process and its waited-for children (csdp): /proc/self/stat's utime, stime, cutime, cstime, in ticks of 1/100 s. */
const cpu = () => readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ').slice(11, 15).reduce((s, v) => s + Number(v), 0) / 100;

/** Each side writes its files (proofs, the planted theorem) in its own folder; paths are compared with the folder named DIR. */
const side = { spawned: join(base, 'spawned'), here: join(base, 'here') };
for (const d of Object.values(side)) { mkdirSync(d); writeTooStrongGd(d); }

function spawned(args: string[], env: Record<string, string>): HereResult & { cpu: number } {
  const p = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, BIN, ...args], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 1 << 28 });
  const lines = p.stderr.trimEnd().split('\n');
  const [user, sys] = lines.pop()!.split(' ').map(Number);
  if (/^Command exited with non-zero status \d+$/.test(lines.at(-1) ?? '')) lines.pop(); // /usr/bin/time's
  return { code: p.status ?? -1, out: p.stdout, err: lines.length ? `${lines.join('\n')}\n` : '', cpu: user + sys };
}

async function here(args: string[], env: Record<string, string>): Promise<HereResult & { cpu: number }> {
  const before = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const t = cpu();
  try {
    return { ...(await mainHere(args, { cwd: ROOT })), cpu: cpu() - t };
  } finally {
    for (const [k, v] of Object.entries(before)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
  }
}

/** stdout as compared: JSON without its `seconds` (wall time), else the text; the side's folder as DIR. */
function normal(out: string, dir: string): unknown {
  const text = out.split(dir).join('DIR');
  try {
    return JSON.parse(text, (k, v) => (k === 'seconds' ? undefined : v));
  } catch {
    return text;
  }
}

interface Command { args: (dir: string) => string[]; env?: (dir: string) => Record<string, string>; files?: (dir: string) => string[]; before?: (dir: string) => void }
const cmd = (args: string[] | ((dir: string) => string[]), more: Omit<Command, 'args'> = {}): Command => ({ args: typeof args === 'function' ? args : () => args, ...more });
const proof = (method: string, N: number) => cmd((d) => ['pep', method, '--steps', String(N), '--proof', join(d, `${method}${N}.md`), '--json'], { files: (d) => [join(d, `${method}${N}.md`)] });
const check = (name: string) => cmd((d) => ['check', join(d, name), '--samples', '20', '--json']);
/** The perturbed twin of a written proof (as the tests make it), then its check. */
const perturbed = (name: string, P: (text: string) => string) => cmd((d) => ['check', join(d, name.replace('.md', '-perturbed.md')), '--samples', '20', '--json'], {
  before: (d) => { const text = readFileSync(join(d, name), 'utf8'); writeFileSync(join(d, name.replace('.md', '-perturbed.md')), perturbWeight(text, P(text))); },
});

/** Every command of the four test files, in their order. */
const COMMANDS: [string, Command[]][] = [
  ['tests/pep.test.ts', [
    cmd((d) => ['pep', join(d, 'too-strong.md'), '--steps', '2', '--set', 'h=1', '--json']),
    cmd(['pep', 'gd', '--steps', '2', '--measure', 'dist2', '--init', 'f-gap', '--json']),
    cmd(['pep', 'gd-pl', '--steps', '3', '--set', 'gamma=1']),
    cmd(['pep', 'adam', '--steps', '3']),
    cmd(['pep', 'gd', '--steps', '2', '--json'], { env: (d) => ({ BOUNDLAB_CSDP: join(d, 'no-csdp-here') }) }),
    cmd(['pep', 'gd']),
    cmd(['pep', 'gd', '--steps', '2', '--class', 'pl']),
    cmd(['pep', 'gd', '--steps', '101']),
    ...[1, 2, 3].flatMap((N) => [proof('gd', N), check(`gd${N}.md`)]),
    perturbed('gd2.md', () => 'P2'),
  ]],
  ['tests/pep-composite-proof.test.ts', [
    ...[1, 2].flatMap((N) => [proof('proximal-gd', N), check(`proximal-gd${N}.md`)]),
    perturbed('proximal-gd2.md', (text) => /^ {2}(P\d+): h\(/m.exec(text)![1]),
    proof('proximal-point', 2), check('proximal-point2.md'),
    proof('fista', 1), check('fista1.md'),
  ]],
  ['tests/pep-worst.test.ts', [
    cmd(['pep', 'gd-convex-tight', '--steps', '3', '--set', 'h=1', '--worst', '--json']),
    cmd(['pep', 'ogm', '--steps', '3', '--worst']),
    cmd(['pep', 'gd', '--steps', '2', '--sweep', 'h=0.5:1:2', '--worst']),
  ]],
  ['tests/pep-composite-worst.test.ts', [
    cmd(['pep', 'proximal-gd', '--set', 'L=1,gamma=1/L', '--steps', '2', '--worst', '--json']),
  ]],
];

let compared = 0, mismatches = 0, spawnedCpu = 0, hereCpu = 0;
for (const [file, commands] of COMMANDS) {
  console.log(file);
  for (const c of commands) {
    c.before?.(side.spawned);
    const a = spawned(c.args(side.spawned), c.env?.(side.spawned) ?? {});
    c.before?.(side.here);
    const b = await here(c.args(side.here), c.env?.(side.here) ?? {});
    spawnedCpu += a.cpu; hereCpu += b.cpu; compared++;
    const diffs: string[] = [];
    if (a.code !== b.code) diffs.push(`exit ${a.code} vs ${b.code}`);
    if (!isDeepStrictEqual(normal(a.out, side.spawned), normal(b.out, side.here))) diffs.push(`stdout\n    spawned: ${a.out.slice(0, 2000)}\n    here:    ${b.out.slice(0, 2000)}`);
    if (a.err.split(side.spawned).join('DIR') !== b.err.split(side.here).join('DIR')) diffs.push(`stderr\n    spawned: ${a.err}\n    here:    ${b.err}`);
    for (const f of c.files?.(side.spawned) ?? []) {
      const g = f.replace(side.spawned, side.here);
      if (readFileSync(f, 'utf8') !== readFileSync(g, 'utf8')) diffs.push(`file ${f.slice(side.spawned.length + 1)} differs`);
    }
    const shown = c.args('DIR').join(' ');
    console.log(`  ${diffs.length ? 'MISMATCH' : 'same'}  exit ${a.code}  CPU ${a.cpu.toFixed(2)} s spawned, ${b.cpu.toFixed(2)} s here  boundlab ${shown}`);
    for (const d of diffs) console.log(`    ${d}`);
    if (diffs.length) mismatches++;
  }
}
console.log(`${compared} commands compared (exit code, stdout field by field but seconds, stderr, proof files), ${mismatches} mismatches; CPU ${spawnedCpu.toFixed(1)} s spawned, ${hereCpu.toFixed(1)} s in one process (csdp included both ways)`);
if (mismatches) process.exit(1);
