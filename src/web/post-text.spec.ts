import { excerpt, toPostHtml } from './post-text.js';

const links = { hashtag: (tag: string) => `/@eu?tag=${tag}` };

describe('toPostHtml', () => {
  it('escapes markup written in a post', () => {
    expect(toPostHtml('<img src=x onerror=alert(1)> & "q"', links).value).toBe(
      '<p>&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;</p>',
    );
  });

  it('links URLs, mentions and hashtags', () => {
    expect(toPostHtml('See https://europa.eu/x?a=1&b=2. Ask @press@social.example.eu #EU', links).value).toBe(
      '<p>See <a href="https://europa.eu/x?a=1&amp;b=2" rel="nofollow noopener ugc">europa.eu/x?a=1&amp;b=2</a>. Ask ' +
        '<a href="https://social.example.eu/@press" rel="nofollow noopener">@press@social.example.eu</a> <a href="/@eu?tag=EU" rel="tag">#EU</a></p>',
    );
  });

  it('does not link a hash inside a word, or a URL with a quote that would break the attribute', () => {
    expect(toPostHtml('C#sharp', links).value).toBe('<p>C#sharp</p>');
    expect(toPostHtml('https://x.eu/"onmouseover="a', links).value).toBe(
      '<p><a href="https://x.eu/" rel="nofollow noopener ugc">x.eu/</a>&quot;onmouseover=&quot;a</p>',
    );
  });

  it('turns blank lines into paragraphs and single newlines into line breaks', () => {
    expect(toPostHtml('one\ntwo\n\n\nthree', links).value).toBe('<p>one<br>two</p><p>three</p>');
  });
});

describe('excerpt', () => {
  it('keeps short text and cuts long text at a word', () => {
    expect(excerpt('  short\n text ', 20)).toBe('short text');
    expect(excerpt('Every year seven hundred thousand people', 20)).toBe('Every year seven…');
  });
});
