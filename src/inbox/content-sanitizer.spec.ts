import { looksLive, XSS_PAYLOADS } from '../../test/support/xss-payloads.js';
import {
  boundedRemoteHtml,
  boundedRemoteText,
  htmlFromText,
  plainLabel,
  REMOTE_HTML_MAX_CHARS,
  REMOTE_TEXT_MAX_CHARS,
  safeHttpUrl,
  sanitizeRemoteHtml,
  textFromHtml,
} from './content-sanitizer.js';

describe('content sanitiser', () => {
  it.each(XSS_PAYLOADS)('makes %s inert', (payload) => {
    expect(looksLive(payload)).toBe(true); // the detector sees the raw payload
    expect(looksLive(sanitizeRemoteHtml(payload))).toBe(false);
  });

  it('keeps links and mentions, with safe rel and target', () => {
    const html = sanitizeRemoteHtml(
      '<p>Hi <span class="h-card"><a href="https://m.example/@a" class="u-url mention">@a</a></span> <a href="https://x.example/">x</a></p>',
    );
    expect(html).toBe(
      '<p>Hi <span class="h-card"><a href="https://m.example/@a" rel="nofollow noopener noreferrer ugc" target="_blank">@a</a></span> <a href="https://x.example/" rel="nofollow noopener noreferrer ugc" target="_blank">x</a></p>',
    );
  });

  it('turns HTML into plain text without script bodies', () => {
    expect(textFromHtml('<p>one &amp; two</p><p>three<br>four</p><script>alert(1)</script>')).toBe('one & two\n\nthree\nfour');
  });

  it('decodes every entity once: text that spells markup stays text', () => {
    expect(textFromHtml('<p>&lt;b&gt; &amp;amp; &hellip; &#39;q&#39; &nbsp;</p>')).toBe("<b> &amp; … 'q'");
  });

  it('escapes plain text into HTML', () => {
    expect(htmlFromText('<b>a</b> & "b"\nc')).toBe('<p>&lt;b&gt;a&lt;/b&gt; &amp; &quot;b&quot;<br>c</p>');
  });

  it('keeps only http(s) links', () => {
    expect(safeHttpUrl('https://m.example/@a')).toBe('https://m.example/@a');
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpUrl('data:image/svg+xml,<svg onload=alert(1)>')).toBeNull();
    expect(safeHttpUrl('/relative')).toBeNull();
    expect(safeHttpUrl(null)).toBeNull();
  });

  it('strips control and bidi-override characters from names', () => {
    expect(plainLabel('Ann\u202eeve\u0000 ')).toBe('Anneve');
    expect(plainLabel('   ')).toBeNull();
  });

  it('cuts remote HTML at its limit into well-formed HTML ending in an ellipsis', () => {
    const long = `<p><strong>${'word &amp; '.repeat(5000)}</strong></p><p>${'x'.repeat(50_000)}</p>`;
    const bounded = boundedRemoteHtml(long);
    expect(bounded.length).toBeLessThanOrEqual(REMOTE_HTML_MAX_CHARS);
    expect(bounded).toMatch(/…<\/strong><\/p>$/);
    expect(sanitizeRemoteHtml(bounded)).toBe(bounded);
    expect(boundedRemoteHtml('<p>short</p>')).toBe('<p>short</p>');
  });

  it('keeps the limit when the cut leaves deep nesting open or escaping lengthens the text', () => {
    for (const unit of ['<i>', '<b>x', '<blockquote><p>', '<ul><li>a', '&', '"<']) {
      const bounded = boundedRemoteHtml(`<p>${unit.repeat(30_000)}</p>`);
      expect(bounded.length).toBeLessThanOrEqual(REMOTE_HTML_MAX_CHARS);
      expect(sanitizeRemoteHtml(bounded)).toBe(bounded);
    }
    const escaped = boundedRemoteHtml(htmlFromText('&<'.repeat(REMOTE_TEXT_MAX_CHARS / 2)));
    expect(escaped.length).toBeLessThanOrEqual(REMOTE_HTML_MAX_CHARS);
    expect(escaped.slice(-20)).toMatch(/(&amp;|&lt;)…<\/p>$/);
  });

  it('cuts remote text at its limit', () => {
    expect(boundedRemoteText('y'.repeat(REMOTE_TEXT_MAX_CHARS * 3))).toHaveLength(REMOTE_TEXT_MAX_CHARS);
    expect(boundedRemoteText('short')).toBe('short');
  });

  it('drops links longer than 2048 characters', () => {
    expect(safeHttpUrl(`https://x.example/${'a'.repeat(2100)}`)).toBeNull();
  });
});
