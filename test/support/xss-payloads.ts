/** Payloads a hostile server may send; none may survive as something a browser runs or loads. */
export const XSS_PAYLOADS = [
  '<script>alert(1)</script>hello',
  '<img src=x onerror="alert(1)">',
  '<a href="javascript:alert(1)">click</a>',
  '<a href="JaVaScRiPt:alert(1)">click</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
  '<svg onload="alert(1)"><circle r="1"/></svg>',
  '<style>body{background:url(javascript:alert(1))}</style>styled',
  '<iframe src="https://evil.example/"></iframe>',
  '<p onclick="alert(1)" style="x:expression(alert(1))">para</p>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
  '<a href="//evil.example/">protocol-relative</a>',
  '<object data="x.swf"></object><embed src="x.swf">',
  '<form action="https://evil.example/"><input name=a></form>',
  '<span class="mention" onmouseover="alert(1)">@x</span>',
];

/**
 * True when HTML holds anything executable or resource-loading. Only markup
 * counts: escaped text such as `&lt;script&gt;` or the words `javascript:`
 * in a sentence are what a reader should see, and run nothing.
 */
export function looksLive(html: string): boolean {
  const tags = (html.match(/<[^>]*>?/g) ?? []).join('\n');
  return (
    /<\s*(script|style|iframe|svg|math|img|object|embed|form|input|link|meta|base)\b/i.test(tags) ||
    /\son[a-z]+\s*=/i.test(tags) ||
    /(javascript|data|vbscript):/i.test(tags) ||
    /\sstyle\s*=/i.test(tags) ||
    /href="\/\//i.test(tags)
  );
}
