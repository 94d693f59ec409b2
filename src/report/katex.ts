/**
 * KaTeX on the server: formulas become HTML, and the stylesheet carries its
 * fonts as base64 data URLs, so the page needs nothing from the network.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import katex from 'katex';

/**
 * `trust: false` refuses \href, \url, \includegraphics and raw HTML (they
 * render as red source text); `maxSize` caps \rule and \kern at 20 em so a
 * formula cannot cover the page; warnings about non-LaTeX input are not ours to print.
 */
export function renderTex(tex: string, display = false): string {
  const html = katex.renderToString(tex, {
    displayMode: display, throwOnError: false, trust: false, output: 'html', strict: 'ignore', maxSize: 20,
  });
  return stripSvgNamespace(html);
}

/**
 * Inline SVG in an HTML page is in the SVG namespace without the attribute;
 * dropping it keeps the page free of any http:// string, so a reader can
 * check at a glance that nothing points outside it.
 */
export const stripSvgNamespace = (html: string): string =>
  html.replace(/ xmlns(:xlink)?="http:\/\/www\.w3\.org\/(2000\/svg|1999\/xlink)"/g, '');

let css: string | undefined;

/** katex.min.css with every font as a woff2 data URL (woff and ttf fallbacks dropped: every current browser reads woff2). */
export function katexCss(): string {
  if (css !== undefined) return css;
  const file = createRequire(import.meta.url).resolve('katex/dist/katex.min.css');
  const fonts = join(dirname(file), 'fonts');
  css = readFileSync(file, 'utf8').replace(/src:([^;}]*)/g, (decl: string, sources: string) => {
    const woff2 = /url\(fonts\/([\w-]+\.woff2)\)/.exec(sources);
    if (!woff2) throw new Error(`katex.min.css: a font without a woff2 source: ${decl}`);
    const data = readFileSync(join(fonts, woff2[1])).toString('base64');
    return `src:url(data:font/woff2;base64,${data}) format("woff2")`;
  });
  return css;
}
