/** A self-contained page around a body (the report, an experiment's, a law check's), and the environment it was made in. */
import type { Environment } from './environment.ts';
import { escapeHtml } from './html.ts';
import { katexCss } from './katex.ts';
import { STYLE } from './style.ts';

/** The self-contained document around a body: KaTeX's CSS with its fonts, the page style, no script. */
/** The paper a page prints on (the style's @page is A4; Letter overrides its size). */
export type Paper = 'a4' | 'letter';

export function htmlDocument(title: string, env: Environment, body: string, paper: Paper = 'a4'): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="boundlab ${escapeHtml(env.boundlab)}">
<title>${escapeHtml(title)}</title>
<style>${katexCss()}</style>
<style>${STYLE}</style>${paper === 'letter' ? '\n<style>@page { size: letter; }</style>' : ''}
</head>
<body>
${body}
</body>
</html>
`;
}

/** Versions, backend, seed, options, date, commit and command, as a definition list. */
export function environmentTable(env: Environment): string {
  const options = Object.entries(env.options).map(([k, v]) => `--${k} ${v}`).join(' ');
  const rows: [string, string][] = [
    ['boundlab', escapeHtml(env.boundlab)],
    ['Node.js', escapeHtml(env.node)],
    ['TensorFlow.js', `${escapeHtml(env.tfjs)}; backend ${env.backends.length ? env.backends.map(escapeHtml).join(', ') : 'none (no optimiser was run)'}`],
    ['Seed', String(env.seed)],
    ['Options', options ? escapeHtml(options) : (env.command.startsWith('boundlab report') ? 'the defaults of verify and check' : 'the defaults')],
    ['Date', escapeHtml(env.date)],
  ];
  if (env.commit) rows.push(['Git commit', `<code>${escapeHtml(env.commit)}</code>${env.dirty ? ' with uncommitted changes' : ''}`]);
  rows.push(['Command', `<code>${escapeHtml(env.command)}</code>`]);
  return `<dl class="facts">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`;
}
