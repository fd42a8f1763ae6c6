import { html, jsonScript, local, trusted } from './html.js';

describe('html', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const name = `"><script>alert('x')</script>`;
    expect(html`<a title="${name}">${name}</a>`.value).toBe(
      '<a title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</a>',
    );
  });

  it('keeps nested templates and trusted markup as they are, and joins lists', () => {
    const items = ['a<b', 'c'].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>${trusted('<hr>')}`.value).toBe('<ul><li>a&lt;b</li><li>c</li></ul><hr>');
  });

  it('renders nothing for null, undefined and false', () => {
    expect(html`[${null}${undefined}${false}${0}]`.value).toBe('[0]');
  });

  it('writes JSON that cannot close its script element', () => {
    expect(jsonScript({ text: '</script><script>alert(1)</script>' }).value).toBe(
      '{"text":"\\u003c/script>\\u003cscript>alert(1)\\u003c/script>"}',
    );
  });

  it('turns one of our absolute URLs into a path', () => {
    expect(local('https://social.example.eu/@eu/posts/1?tab=media')).toBe('/@eu/posts/1?tab=media');
  });
});
