/**
 * The command line as a script sees it: stdout, stderr, exit codes. Run in
 * this process (mainHere, its streams pipes as a spawned one's); the process
 * itself (signals, the compiled build) is in tests/hostile.test.ts and tests/package.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { mainHere } from './fixtures/main-here.ts';

const run = (...args: string[]) => mainHere(args);

describe('boundlab', () => {
  it('lists theorems, families, optimisers and the backend as JSON', async () => {
    const r = await run('list', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(['tensorflow', 'wasm', 'cpu']).toContain(j.backend);
    expect(j.theorems.map((t: { id: string }) => t.id)).toContain('gd-pl');
    expect(j.theorems.find((t: { id: string }) => t.id === 'gd-pl').assumptions).toEqual(['L-smooth', 'mu-PL', '0 < gamma <= 1 / L']);
    expect(j.families.map((f: { id: string }) => f.id)).toContain('huber');
    expect(j.optimizers.map((o: { id: string }) => o.id)).toContain('heavy-ball');
  });

  it('verifies with --json: one document on stdout, the backend recorded', async () => {
    const r = await run('verify', 'gd-pl', '--family', 'quadratic', '--instances', '8', '--steps', '20', '--json', '--seed', '4');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.results).toHaveLength(1);
    expect(j.results[0]).toMatchObject({ theorem: 'gd-pl', verdict: 'holds', steps: 20, seed: 4 });
    expect(j.results[0].instances).toBeGreaterThanOrEqual(8);
    expect(['tensorflow', 'wasm', 'cpu']).toContain(j.results[0].backend);
    expect(typeof j.results[0].worst_margin).toBe('number');
  });

  it('exits 1 with a counterexample when a bound is violated', async () => {
    const r = await run('verify', 'gd-pl', '--plant', 'faster', '--family', 'quadratic', '--instances', '10', '--steps', '20');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/violated/);
    expect(r.out).toMatch(/counterexample: family quadratic, step \d+/);
  });

  it('is reproducible from its seed', async () => {
    const a = await run('verify', 'gd-convex', '--family', 'huber', '--instances', '6', '--steps', '15', '--json', '--seed', '9');
    const b = await run('verify', 'gd-convex', '--family', 'huber', '--instances', '6', '--steps', '15', '--json', '--seed', '9');
    const strip = (s: string) => JSON.parse(s).results.map((x: { seconds?: number }) => ({ ...x, seconds: 0 }));
    expect(strip(a.out)).toEqual(strip(b.out));
  });

  it('names the closest ids for an unknown theorem, exit 2, no stack trace', async () => {
    const r = await run('verify', 'gd-cnovex');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown theorem 'gd-cnovex' \(did you mean: gd-convex/);
    expect(r.err).not.toMatch(/\bat .*\.ts:\d+/);
    expect(r.out).toBe('');
  });

  it('refuses a parameter outside the domain naming the constraint, exit 2', async () => {
    const r = await run('verify', 'gd-convex', '--family', 'huber', '--set', 'gamma=1e9');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/gamma <= 1 \/ L fails/);
  });

  it('rejects unknown options and bad values with exit 2', async () => {
    expect((await run('verify', 'gd-pl', '--stesp', '3')).err).toMatch(/unknown option --stesp \(did you mean: steps/);
    expect((await run('verify', 'gd-pl', '--steps', 'many')).code).toBe(2);
    expect((await run('frobnicate')).code).toBe(2);
  });

  it('has --help on every command', async () => {
    for (const cmd of [[], ['list'], ['verify']]) {
      const r = await run(...cmd, '--help');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/usage: boundlab/);
    }
  });

  it('prints its version, and help CMD is CMD --help', async () => {
    const version = await run('--version');
    expect(version.code).toBe(0);
    expect(version.out).toMatch(/^boundlab \d+\.\d+\.\d+\n$/);
    for (const cmd of ['verify', 'check', 'relax']) {
      const a = await run('help', cmd);
      expect(a.code).toBe(0);
      expect(a.out).toBe((await run(cmd, '--help')).out);
      expect(a.out).toMatch(new RegExp(`^usage: boundlab ${cmd}`));
    }
  });

  it('with --json, an error is one JSON object on stdout and the message on stderr', async () => {
    const r = await run('verify', 'gd-pll', '--json');
    expect(r.code).toBe(2);
    const j = JSON.parse(r.out);
    expect(j.error.code).toBe('usage');
    expect(j.error.message).toMatch(/unknown theorem 'gd-pll'/);
    expect(r.err).toContain(j.error.message);
    // a malformed proof file is reported in check's own document, naming file and line
    const bad = await run('check', 'README.md', '--json');
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.out).files[0].error).toMatch(/^README\.md:1: /);
    const unknown = await run('list', '--jsno', '--json');
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.out).error.message).toMatch(/unknown option --jsno/);
  });

  it('refuses positional arguments a command does not take', async () => {
    const r = await run('list', 'extra-positional');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/list: takes no arguments, got 'extra-positional'/);
    expect((await run('verify', 'gd-pl', '--all')).code).toBe(2);
  });

  it('takes --set as an expression in the constants in verify, as in tightness', async () => {
    const r = await run('verify', 'gd-convex', '--family', 'huber', '--instances', '3', '--steps', '20', '--set', 'gamma=1/L', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).results[0].verdict).toBe('holds');
    // beyond the domain at every witness: refused, naming the constraint
    const far = await run('verify', 'gd-convex', '--family', 'huber', '--instances', '3', '--steps', '20', '--set', 'gamma=3/L');
    expect(far.code).toBe(2);
    expect(far.err).toMatch(/gamma <= 1 \/ L fails/);
    expect((await run('verify', 'gd-convex', '--set', 'gamma=1/Q')).err).toMatch(/'Q' is not a constant/);
  });

  it('off a terminal, one progress line per finished item on stderr; --quiet silences it', async () => {
    const args = ['verify', 'gd-pl', 'gd-convex', '--family', 'quadratic', '--instances', '3', '--steps', '10', '--json'];
    const r = await run(...args);
    expect(r.code).toBe(0);
    expect(r.err.trim().split('\n')).toEqual([
      expect.stringMatching(/^verify: gd-pl holds \(1\/2, [\d.]+ s\)$/),
      expect.stringMatching(/^verify: gd-convex holds \(2\/2, [\d.]+ s\)$/),
    ]);
    expect(JSON.parse(r.out).results).toHaveLength(2);
    const quiet = await run(...args, '--quiet');
    expect(quiet.err).toBe('');
    expect(JSON.parse(quiet.out).results).toHaveLength(2);
  });
});
