import DOMPurify from 'dompurify';
import { Marked } from 'marked';

// WeCom keeps single line breaks, so `breaks` is on.
const marked = new Marked({ gfm: true, breaks: true });

// Links in a bot message leave the simulator rather than replace it.
DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

/** WeCom markdown (headings, bold, links, quotes, <font color>) as safe HTML. */
export function renderMarkdown(text: string): string {
  const html = marked.parse(endQuotes(text), { async: false });
  return DOMPurify.sanitize(html, { ADD_TAGS: ['font'], ADD_ATTR: ['color'] });
}

// In WeCom a `>` quotes only its own line; CommonMark would pull the next
// lines into the quote, so a blank line ends it.
function endQuotes(text: string): string {
  const lines = text.split('\n');
  return lines
    .map((line, i) => {
      const prev = lines[i - 1];
      return prev?.trimStart().startsWith('>') && line.trim() && !line.trimStart().startsWith('>')
        ? `\n${line}`
        : line;
    })
    .join('\n');
}
