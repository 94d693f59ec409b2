/**
 * docs/theorem-format.md's complete example, run as it stands: verify,
 * relax, tightness and report accept it, and its planted violation is caught.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mainHere } from './fixtures/main-here.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** In this process (mainHere), from the repository's folder. */
const run = (...args: string[]) => mainHere(args, { cwd: ROOT });

/** The first ```markdown block after the heading "A complete example". */
function docExample(): string {
  const doc = readFileSync(join(ROOT, 'docs/theorem-format.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## A complete example'));
  const m = /```markdown\n([\s\S]*?)\n```\n/.exec(section);
  if (!m) throw new Error('docs/theorem-format.md has no ```markdown example under "A complete example"');
  return m[1] + '\n';
}

describe('the worked example of docs/theorem-format.md', () => {
  const dir = mkdtempSync(join(tmpdir(), 'boundlab-doc-'));
  const file = join(dir, 'relaxed-step.md');
  writeFileSync(file, docExample());

  it('verify: holds, as JSON', async () => {
    const r = await run('verify', file, '--instances', '6', '--steps', '30', '--json', '--quiet');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).results[0]).toMatchObject({ verdict: 'holds' });
  });

  it('verify --plant faster: violated (exit 1)', async () => {
    const r = await run('verify', file, '--instances', '6', '--steps', '30', '--plant', 'faster');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/violated/);
  });

  it('relax --drop mu-PL: a counterexample among functions that are not PL', async () => {
    const r = await run('relax', file, '--drop', 'mu-PL', '--instances', '6', '--rounds', '2', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).verdict).toBe('counterexample');
  });

  it('tightness --set h=1: a ratio in (0, 1] within the tolerance', async () => {
    const r = await run('tightness', file, '--set', 'h=1', '--steps', '10', '--instances', '4', '--rounds', '2', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.ratio).toBeGreaterThan(0);
    expect(j.ratio).toBeLessThanOrEqual(1.01);
  });

  it('report: a page with the file’s statement and its verdict', async () => {
    const out = join(dir, 'report');
    const r = await run('report', file, '--out', out, '--instances', '4', '--steps', '20');
    expect(r.code).toBe(0);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('Gradient descent with step h/L under the PL inequality');
    expect(html).toContain('holds');
    // the method as written and the file's own prose are on the page
    expect(html).toContain('x(k+1) = x(k) - h / L * grad(f, x(k))');
    expect(html).toContain('Why it holds');
  });
});
