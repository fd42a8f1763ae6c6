import { escapeHtml } from '../common/html.js';
import { paragraphsOf, tokenizePostText, type InlineToken } from './post-text.js';

/** The tokens whose markup differs by surface; text and line breaks read the same everywhere. */
export type MarkedToken = Extract<InlineToken, { kind: 'link' | 'mention' | 'hashtag' }>;

/**
 * Post text as HTML paragraphs: text escaped, line breaks as `<br>`, and each
 * link, mention and hashtag as its surface marks it up (`markup` returns HTML).
 */
export function postTextHtml(text: string, markup: (token: MarkedToken) => string): string {
  const inline = (token: InlineToken): string => {
    if (token.kind === 'text') return escapeHtml(token.text);
    if (token.kind === 'lineBreak') return '<br>';
    return markup(token);
  };
  return paragraphsOf(tokenizePostText(text))
    .map((paragraph) => `<p>${paragraph.map(inline).join('')}</p>`)
    .join('');
}
