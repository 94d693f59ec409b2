/**
 * HTML text from user text: every title, prose line, source, justification,
 * value and file name passes through `escapeHtml` before it reaches the page.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in text and in double- or single-quoted attribute values. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c]);

/** An id attribute value from any text: lower-case letters, digits and dashes only. */
export const anchorId = (prefix: string, text: string): string =>
  `${prefix}-${text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;

/** Verdicts that need no one's attention: their items start closed and hide under the "needs attention" filter. */
const SETTLED = new Set(['holds', 'valid']);
export const isSettled = (verdict: string): boolean => SETTLED.has(verdict);

/**
 * One item of the page (a theorem, a proof file): a <details> whose summary is
 * its heading, closed when it settled (holds, valid) and open otherwise, so
 * what needs attention is what one sees, with JavaScript on or off. Ends with
 * a link back to the contents.
 */
export function itemFrame(id: string, verdict: string, heading: string, body: string): string {
  const settled = isSettled(verdict);
  return `<details class="item ${settled ? 'settled' : 'attention'}" id="${id}"${settled ? '' : ' open'}>
<summary><h3><span class="verdict v-${verdict}">${verdict}</span> ${heading}</h3></summary>
${body}
<p class="back"><a href="#contents">↑ contents</a></p>
</details>`;
}
