/**
 * The CLI tests run boundlab in their own process (tests/fixtures/main-here.ts);
 * this shows that changes no outcome. Each command runs twice: `node
 * bin/boundlab.mjs` spawned, and mainHere, every command in this one process as
 * in a test worker. Compared: exit code, stdout (parsed where --json), stderr,
 * and for the README the names of the files in the folder afterwards. Masked:
 * wall-clock times (`seconds` fields, "1.2 s") and the scratch folder's path.
 * - the README's commands (tests/readme.test.ts): small sizes, after the test's
 *   earlier report, in two scratch folders (one per way, as they write there);
 * - the commands of tests/cli.test.ts and tests/proofs-cli.test.ts, from the
 *   repository's folder (they write nothing);
 * - the commands of tests/laws.test.ts, in the README's scratch folders (one writes a page).
 * Prints each mismatch (exit 1 when there is one) and the CPU time of both ways.
 * Run: npx tsx bench/readme-in-process.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { mainHere } from '../tests/fixtures/main-here.ts';
import { PL_STEP } from '../tests/fixtures/proofs.ts';
import { EARLIER_REPORT, README_COMMANDS, readmeArgs, readmeFolder, ROOT, wholeReport } from '../tests/fixtures/readme-commands.ts';

const BIN = join(ROOT, 'bin/boundlab.mjs');

/** Files under a folder (symlinked proofs/ and theorems/ not followed), by relative path. */
function files(dir: string, under = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isSymbolicLink()) return [];
    return e.isDirectory() ? files(p, under) : [relative(under, p)];
  }).sort();
}

/** Timing fields removed: everything else of a JSON document is compared. */
const untimed = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(untimed)
    : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'seconds').map(([k, x]) => [k, untimed(x)]))
      : v;

const masked = (text: string, folder: string) => text.split(folder).join('<folder>').replace(/\d+(\.\d+)? s\b/g, '<t> s');
const comparable = (out: string, folder: string, json: boolean): unknown =>
  json ? untimed(JSON.parse(out.split(folder).join('<folder>'))) : masked(out, folder);

/** CPU seconds of this process, and of its children that ended (Linux: /proc/self/stat, clock ticks of 1/100 s). */
const ownCpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const childrenCpu = () => {
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /s, '').split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100; // cutime, cstime (fields 16 and 17)
};
let spawnedSeconds = 0, hereSeconds = 0, compared = 0, mismatches = 0;

/** One command both ways: spawned from `where.spawned`, in-process from `where.here` (the same folder or one each). */
async function both(args: string[], label: string, where: { spawned: string; here: string; folderFiles: boolean }): Promise<void> {
  const c0 = childrenCpu();
  const s = spawnSync(process.execPath, [BIN, ...args], { cwd: where.spawned, encoding: 'utf8', maxBuffer: 64 << 20 });
  spawnedSeconds += childrenCpu() - c0;
  const h0 = ownCpu();
  const h = await mainHere(args, { cwd: where.here });
  hereSeconds += ownCpu() - h0;
  // --json documents are compared parsed; an error document too (a --json run that failed early prints one)
  const json = args.includes('--json') && !args.includes('--help');
  const a = { code: s.status, out: comparable(s.stdout, where.spawned, json), err: masked(s.stderr, where.spawned), files: where.folderFiles ? files(where.spawned) : [] };
  const b = { code: h.code, out: comparable(h.out, where.here, json), err: masked(h.err, where.here), files: where.folderFiles ? files(where.here) : [] };
  compared++;
  if (!isDeepStrictEqual(a, b)) {
    mismatches++;
    console.log(`MISMATCH ${label}\n  spawned:    ${JSON.stringify(a).slice(0, 2000)}\n  in-process: ${JSON.stringify(b).slice(0, 2000)}`);
  } else console.log(`same (exit ${s.status}, ${s.stdout.length} bytes of stdout${json ? ', JSON' : ''}, ${s.stderr.length} of stderr): ${label}`);
}

// the README, as tests/readme.test.ts runs it
const readme = { spawned: readmeFolder(), here: readmeFolder(), folderFiles: true };
await both(EARLIER_REPORT, EARLIER_REPORT.join(' '), readme);
for (const line of README_COMMANDS.filter((c) => !wholeReport(c))) await both(readmeArgs(line, readme.spawned).args, line, readme);

// tests/cli.test.ts and tests/proofs-cli.test.ts (their proof files in a scratch folder both ways read)
const dir = mkdtempSync(join(tmpdir(), 'boundlab-bench-proofs-'));
const pl = join(dir, 'pl.md'), wrong = join(dir, 'wrong.md'), malformed = join(dir, 'malformed.md');
writeFileSync(pl, PL_STEP);
writeFileSync(wrong, PL_STEP.replace('1/(2*L) * norm', '1/L * norm'));
writeFileSync(malformed, '---\ntitle: t\ngiven:\n  - L > 0\n  - f: R^d -> R, L-smoth\n---\n');
const progress = ['verify', 'gd-pl', 'gd-convex', '--family', 'quadratic', '--instances', '3', '--steps', '10', '--json'];
const TESTS: string[][] = [
  ['list', '--json'],
  ['verify', 'gd-pl', '--family', 'quadratic', '--instances', '8', '--steps', '20', '--json', '--seed', '4'],
  ['verify', 'gd-pl', '--plant', 'faster', '--family', 'quadratic', '--instances', '10', '--steps', '20'],
  ['verify', 'gd-convex', '--family', 'huber', '--instances', '6', '--steps', '15', '--json', '--seed', '9'],
  ['verify', 'gd-cnovex'],
  ['verify', 'gd-convex', '--family', 'huber', '--set', 'gamma=1e9'],
  ['verify', 'gd-pl', '--stesp', '3'], ['verify', 'gd-pl', '--steps', 'many'], ['frobnicate'],
  ['--help'], ['list', '--help'], ['verify', '--help'], ['--version'],
  ['help', 'verify'], ['help', 'check'], ['help', 'relax'], ['check', '--help'], ['relax', '--help'],
  ['verify', 'gd-pll', '--json'], ['check', 'README.md', '--json'], ['list', '--jsno', '--json'],
  ['list', 'extra-positional'], ['verify', 'gd-pl', '--all'],
  ['verify', 'gd-convex', '--family', 'huber', '--instances', '3', '--steps', '20', '--set', 'gamma=1/L', '--json'],
  ['verify', 'gd-convex', '--family', 'huber', '--instances', '3', '--steps', '20', '--set', 'gamma=3/L'],
  ['verify', 'gd-convex', '--set', 'gamma=1/Q'],
  progress, [...progress, '--quiet'],
  ['check', pl], ['check', pl, '--json'], ['check', wrong], ['check', malformed], ['check', join(dir, 'nope.md')], ['check'],
  ['mutate', pl, '--samples', '60'], ['mutate', pl, '--samples', '60', '--json'],
];
for (const args of TESTS) await both(args, args.join(' ').split(dir).join('<proofs>'), { spawned: ROOT, here: ROOT, folderFiles: false });

// tests/laws.test.ts
const LAWS: string[][] = [
  ['lazy-training', '--widths', '16,64,100000'], ['lazy-training', '--seeds', '65', '--json'], ['no-such-law'],
  ['lazy-training', '--grids', '4,8'], ['--list', '--json'], ['--help'],
  ['lazy-training', '--widths', '16,64,256,1024', '--seeds', '4', '--seed', '1', '--json', '--out', 'law-page'],
  ['kan', '--grids', '2,4,8'], ['kan', '--grids', '8,16,33'],
  ['scaling-resolution', '--features', '16,32,1000'], ['distillation-low-rank', '--ranks', '1,12'],
];
for (const args of LAWS) await both(['law', ...args], `law ${args.join(' ')}`, readme);

for (const f of [readme.spawned, readme.here, dir]) rmSync(f, { recursive: true, force: true });
console.log(`${compared} commands, ${mismatches} mismatches (exit code, stdout, stderr, files written); in-process CPU ${hereSeconds.toFixed(1)} s, spawned ${spawnedSeconds.toFixed(1)} s`);
process.exitCode = mismatches ? 1 : 0;
