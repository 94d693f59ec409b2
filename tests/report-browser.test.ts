/**
 * A generated report in a real browser (Debian's headless Chromium through
 * playwright-core): every formula rendered, every plot present, and not one
 * network request. Leaves a screenshot in reports/screenshot.png.
 */
import { describe, expect, it, vi } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { reportCommand } from '../src/cli/report.ts';
import { CHROMIUM_FLAGS } from '../src/report/pdf.ts';
import { PEP_REPORT_POINTS, pepTheoremIds } from '../src/report/pep.ts';

const CHROMIUM = '/usr/bin/chromium';

describe('report in a browser', () => {
  it('renders every formula and plot without a single network request', async (ctx) => {
    // Locally a missing browser skips with the reason; in CI it is a failure.
    ctx.skip(!existsSync(CHROMIUM) && !process.env.CI, `${CHROMIUM} is not installed (apt-get install chromium)`);
    expect(existsSync(CHROMIUM), `${CHROMIUM} is required in CI`).toBe(true);

    const out = mkdtempSync(join(tmpdir(), 'boundlab-browser-'));
    const profile = mkdtempSync(join(tmpdir(), 'boundlab-profile-'));
    let browser: BrowserContext | undefined;
    try {
      const spy = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        expect(await reportCommand(['gd-strongly-convex', 'proofs/pl-one-step.md', 'pep', '--instances', '4', '--steps', '20', '--out', out])).toBe(0);
      } finally {
        spy.mockRestore();
      }
      const page = pathToFileURL(join(out, 'index.html')).href;
      // Playwright takes the fresh profile directory as an argument, not as --user-data-dir.
      browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: [...CHROMIUM_FLAGS], viewport: { width: 1000, height: 1400 } });
      const tab = await browser.newPage();
      const requests: string[] = [];
      tab.on('request', (r) => requests.push(r.url()));
      await tab.goto(page, { waitUntil: 'load' });
      await tab.evaluate(() => document.fonts.ready);

      expect(requests.filter((u) => u !== page && !u.startsWith('data:'))).toEqual([]);
      expect(await tab.locator('.katex-error').count()).toBe(0);
      const katex = await tab.locator('.katex').evaluateAll((els) => els.map((e) => ({ text: e.textContent ?? '', height: e.getBoundingClientRect().height })));
      expect(katex.length).toBeGreaterThan(20);
      for (const k of katex) {
        expect(k.text.trim()).not.toBe('');
        expect(k.height).toBeGreaterThan(0);
      }
      // KaTeX's own fonts are in use, loaded from the page's data URLs.
      expect(await tab.evaluate(() => document.fonts.check('12px KaTeX_Main'))).toBe(true);
      // The plots themselves, not their legends' swatches.
      const plots = await tab.locator('figure.plot figure > svg').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
      expect(plots.length).toBeGreaterThan(0);
      for (const w of plots) expect(w).toBeGreaterThan(100);

      // The performance estimation section (the target pep): a row per theorem PEP covers, the tight
      // theorems tight, a sweep plot drawn for each swept one, and the generated proof behind its summary.
      await tab.click('nav.contents a[href="#pep"]');
      expect(await tab.locator('h2#pep').isVisible()).toBe(true);
      expect(await tab.locator('table.pep tbody tr').count()).toBe(pepTheoremIds().length);
      expect(await tab.locator('table.pep tbody tr:has(code:text-is("gd-convex-tight")) .verdict').textContent()).toBe('tight');
      expect(await tab.locator('table.pep .error').count()).toBe(0);
      const sweeps = await tab.locator('figure[id^="pep-sweep-"] figure > svg').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
      expect(sweeps.length).toBe(Object.values(PEP_REPORT_POINTS).filter((p) => p.sweep).length);
      for (const w of sweeps) expect(w).toBeGreaterThan(100);
      // The worst function of every theorem with an interpolating construction, run for real, reaches τ
      // and breaks no bound (the catalogue's theorems hold); gd-nonconvex's class has none and says why.
      const worstRows = tab.locator('table.pep-worst tbody tr');
      expect(await worstRows.count()).toBe(pepTheoremIds().length);
      expect(await tab.locator('table.pep-worst tbody tr:has(code:text-is("gd-nonconvex"))').textContent()).toMatch(/no worst function: the smooth \(nonconvex\) class/);
      expect(await tab.locator('table.pep-worst tbody tr:has(code:text-is("gd-convex-tight")) td').nth(6).textContent()).toBe('yes');
      expect(await tab.locator('table.pep-worst .v-violated').count()).toBe(0);
      const proof = tab.locator('details.pep-proof');
      expect(await proof.locator('pre').isVisible()).toBe(false);
      await proof.locator('summary').click();
      expect(await proof.locator('pre').textContent()).toMatch(/certificate's identity/);

      // The contents lead to each item; a closed item opens from its summary and shows its plots.
      const theorem = tab.locator('details.item').first();
      expect(await theorem.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
      await tab.click(`nav.contents a[href="#${await theorem.getAttribute('id')}"]`);
      expect(await theorem.locator('summary').isVisible()).toBe(true);
      await theorem.locator('summary').click();
      expect(await theorem.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
      expect(await theorem.locator('figure.plot').first().isVisible()).toBe(true);
      // The filter (CSS only) hides what settled, in the page and in the contents.
      await tab.click('label:has(#filter-attention)');
      expect(await theorem.isVisible()).toBe(false);
      expect(await tab.locator('nav.contents li.settled').first().isVisible()).toBe(false);
      await tab.click('label:has(#filter-all)');
      expect(await theorem.isVisible()).toBe(true);

      mkdirSync('reports', { recursive: true });
      await tab.screenshot({ path: join('reports', 'screenshot.png') });
      // Printed as a handout, an item that held shows what it claims and how it was checked, not its plots;
      // opened by the reader, it prints whole.
      await theorem.locator('summary').click();
      expect(await theorem.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
      await tab.emulateMedia({ media: 'print' });
      expect(await theorem.locator('.statement').isVisible()).toBe(true);
      expect(await theorem.locator('dl.facts').isVisible()).toBe(true);
      expect(await theorem.locator('figure.plot').first().isVisible()).toBe(false);
      await theorem.evaluate((d) => { (d as HTMLDetailsElement).open = true; });
      expect(await theorem.locator('figure.plot').first().isVisible()).toBe(true);
      expect(await tab.locator('nav.contents').isVisible()).toBe(false);
      await tab.screenshot({ path: join('reports', 'screenshot-print.png'), fullPage: false });
    } finally {
      await browser?.close();
      rmSync(out, { recursive: true, force: true });
      rmSync(profile, { recursive: true, force: true });
    }
  });
});

describe('report --pdf', () => {
  it('prints a PDF with bookmarks from the headings, and no page for a lone section', async (ctx) => {
    ctx.skip(!existsSync(CHROMIUM) && !process.env.CI, `${CHROMIUM} is not installed (apt-get install chromium)`);
    const out = mkdtempSync(join(tmpdir(), 'boundlab-pdf-'));
    try {
      const spy = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        expect(await reportCommand(['proofs/pl-one-step.md', 'proofs/descent-lemma-gd.md', '--out', out, '--pdf'])).toBe(0);
      } finally {
        spy.mockRestore();
      }
      const pdf = readFileSync(join(out, 'index.pdf'));
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const text = pdf.toString('latin1');
      // bookmarks: an outline with an entry per heading
      expect(text).toMatch(/\/Outlines/);
      expect((text.match(/\/Title\s*\(/g) ?? []).length).toBeGreaterThan(3);
      // two proofs: the summary page, then the proofs section; no page holding a lone sentence
      const pages = (text.match(/\/Type\s*\/Page\b/g) ?? []).length;
      expect(pages).toBeGreaterThanOrEqual(2);
      expect(pages).toBeLessThanOrEqual(4);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
