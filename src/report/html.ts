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
