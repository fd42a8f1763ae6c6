import { html, type SafeHtml } from '../../common/html.js';

export interface PageFrame {
  title: string;
  lang?: string | null;
  /** Extra elements for <head>: meta tags, alternates. */
  head?: SafeHtml;
  body: SafeHtml;
}

/** The HTML document around every public page. */
export function layoutView(frame: PageFrame): string {
  return html`<!DOCTYPE html>
    <html lang="${frame.lang || 'en'}">
      <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>${frame.title}</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/assets/public.css">
        ${frame.head}
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        ${frame.body}
      </body>
    </html>
`.value;
}
