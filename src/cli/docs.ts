/**
 * The reference pages under docs/ that are made from the code, so that they
 * cannot drift from it: every command's --help (docs/commands.md) and the
 * theorem catalogue with each statement in TeX (docs/theorems.md).
 * `npx tsx scripts/docs.ts` writes them; tests/docs.test.ts fails when a
 * committed page differs from what the code says now.
 */
import { parseStatement } from '../language/statement.ts';
import { THEOREMS } from '../theorems/index.ts';
import { COMMANDS, main } from './main.ts';

export const GENERATED = '<!-- Made by `npx tsx scripts/docs.ts` from the code; edit the code, not this page. -->';

/** One command's --help, as it prints it. */
async function helpOf(command: string): Promise<string> {
  let text = '';
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => { text += String(chunk); return true; }) as typeof process.stdout.write;
  try {
    await main([command, '--help']);
  } finally {
    process.stdout.write = write;
  }
  return text.trimEnd();
}

export async function commandReference(): Promise<string> {
  const sections = [];
  for (const [name, { summary }] of Object.entries(COMMANDS)) {
    sections.push(`## boundlab ${name}\n\n${summary}.\n\n\`\`\`text\n${await helpOf(name)}\n\`\`\``);
  }
  return `# Commands\n\n${GENERATED}\n\nEvery command takes \`--help\` (\`boundlab help COMMAND\` is the same), \`--json\` (machine output on stdout, nothing else\nthere; an error is the object \`{"error": {"code", "message", "file"?, "line"?}}\` there too), \`--quiet\` (no progress\non stderr; off a terminal progress is one line per finished item) and \`--seed N\` (0 to 4294967295, default 0:\nthe same seed gives the same result). \`boundlab --version\` prints the version. Exit status: 0 all good, 1 a check\nfailed (a violation, a refuted step), 2 bad usage or input, or no verdict (an error, nothing checked,\ninconclusive).\n\n${sections.join('\n\n')}\n`;
}

export function theoremCatalogue(): string {
  const kinds = { lemma: 'pointwise lemma (float64, sampled points)', run: 'bound along real TensorFlow.js runs', expectation: 'bound in expectation (mean over seeds, confidence interval)' };
  const entries = THEOREMS.map((th) => {
    const lines = [
      `## \`${th.id}\`: ${th.title}`,
      '',
      `$$${parseStatement(th.statement).tex}$$`,
      '',
      `- **Kind**: ${kinds[th.kind]}`,
      `- **Source**: ${th.source}`,
      `- **Assumptions**: ${[...th.classes, ...(th.structural ?? [])].join(', ') || 'none'}${th.constraints.length ? `; ${th.constraints.map((c) => `\`${c}\``).join(', ')}` : ''}`,
    ];
    if (th.algorithm) lines.push(`- **Algorithm**: \`${th.algorithm.optimizer}\`${Object.keys(th.algorithm.hyper).length ? ` with ${Object.entries(th.algorithm.hyper).map(([k, v]) => `${k} = \`${v}\``).join(', ')}` : ''}`);
    if (th.tight) lines.push(`- **Tight**: ${th.tight}`);
    if (th.notes) lines.push(`- **Notes**: ${th.notes}`);
    return lines.join('\n');
  });
  return `# The theorem catalogue\n\n${GENERATED}\n\n${THEOREMS.length} theorems, each one bound expression from which both the statement below and the check\n(\`boundlab verify ID\`) are made. \`boundlab list\` prints the same list.\n\n${entries.join('\n\n')}\n`;
}
