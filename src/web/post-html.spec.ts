import { toPostHtml } from './post-html.js';

const links = { hashtag: (tag: string) => `/@eu?tag=${tag}` };

describe('toPostHtml', () => {
  it('escapes markup written in a post', () => {
    expect(toPostHtml('<img src=x onerror=alert(1)> & "q"', links).value).toBe(
      '<p>&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;</p>',
    );
  });

  it('links URLs, mentions on both networks and hashtags', () => {
    expect(toPostHtml('See https://europa.eu/x?a=1&b=2. Ask @press@social.example.eu or @press.europa.eu #EU', links).value).toBe(
      '<p>See <a href="https://europa.eu/x?a=1&amp;b=2" rel="nofollow noopener ugc">europa.eu/x?a=1&amp;b=2</a>. Ask ' +
        '<a href="https://social.example.eu/@press" rel="nofollow noopener">@press@social.example.eu</a> or ' +
        '<a href="https://bsky.app/profile/press.europa.eu" rel="nofollow noopener">@press.europa.eu</a> ' +
        '<a href="/@eu?tag=EU" rel="tag">#EU</a></p>',
    );
  });

  it('does not link a hash inside a word or an all-digit tag, and escapes a quote inside a URL', () => {
    expect(toPostHtml('C#sharp #2024', links).value).toBe('<p>C#sharp #2024</p>');
    expect(toPostHtml('https://x.eu/"onmouseover="a', links).value).toBe(
      '<p><a href="https://x.eu/&quot;onmouseover=&quot;a" rel="nofollow noopener ugc">x.eu/&quot;onmouseover=&quot;a</a></p>',
    );
  });

  it('shortens a long URL for display and keeps it whole in the link', () => {
    expect(toPostHtml('https://www.example.eu/a/very/long/path/to/a/page/somewhere', links).value).toBe(
      '<p><a href="https://www.example.eu/a/very/long/path/to/a/page/somewhere" rel="nofollow noopener ugc">' +
        'example.eu/a/very/long/path/to/a/page/s…</a></p>',
    );
  });

  it('turns blank lines into paragraphs and single newlines into line breaks', () => {
    expect(toPostHtml('one\ntwo\n\n\nthree', links).value).toBe('<p>one<br>two</p><p>three</p>');
  });
});
