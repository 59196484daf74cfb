import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const markdown = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    // People write "<3" or "<div>" meaning the text: show it rather than interpret it.
    html: (token) => escapeHtml(token.text),
    // No images (they would load from anywhere, tracking readers): a link to the picture instead.
    image: (token) => `<a href="${escapeHtml(token.href)}">${escapeHtml(token.text || token.href)}</a>`,
  },
});

const policy: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'em',
    'del',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'h3',
    'h4',
    'h5',
    'h6',
    'hr',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel', 'target'], ol: ['start'], th: ['align'], td: ['align'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  // Rendered text sits under the page's own h1/h2.
  transformTags: {
    h1: 'h3',
    h2: 'h4',
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener noreferrer ugc', target: '_blank' }),
  },
};

/**
 * Markdown → HTML that is safe to put in a page: raw HTML in the source is shown as text, and the
 * result passes a tag whitelist (no images, no scripts, no styles, no event handlers; links only to
 * http, https and mailto, opened with rel="nofollow noopener noreferrer ugc").
 *
 * Synchronous and unbounded: some inputs take seconds (marked's link and emphasis scanning) or
 * overflow the stack (deep nesting). Only the render worker calls it; everything else goes through
 * `renderMarkdown` in ./index.ts, which bounds it in time.
 */
export function markdownToSafeHtml(source: string): string {
  if (!source.trim()) return '';
  const html = markdown.parse(source) as string;
  return sanitizeHtml(html, policy).trim();
}
