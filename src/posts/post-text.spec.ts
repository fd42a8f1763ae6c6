import { excerpt, mentionedAccts, mentionedHandles, mentionProfileUrl, paragraphsOf, tokenizePostText } from './post-text.js';

/** The tokens other than plain text and breaks, as `kind:text` strings. */
const marked = (text: string) =>
  tokenizePostText(text).flatMap((token) =>
    token.kind === 'link' || token.kind === 'mention' || token.kind === 'hashtag' ? [`${token.kind}:${token.text}`] : [],
  );

describe('tokenizePostText', () => {
  it('finds links, both kinds of mention and hashtags in order', () => {
    expect(tokenizePostText('Ask @alice@example.social or @bob.bsky.social about #Herald: https://herald.example/news.')).toEqual([
      { kind: 'text', text: 'Ask ' },
      { kind: 'mention', text: '@alice@example.social', mention: { network: 'fediverse', user: 'alice', host: 'example.social' } },
      { kind: 'text', text: ' or ' },
      { kind: 'mention', text: '@bob.bsky.social', mention: { network: 'bluesky', handle: 'bob.bsky.social' } },
      { kind: 'text', text: ' about ' },
      { kind: 'hashtag', text: '#Herald', tag: 'Herald' },
      { kind: 'text', text: ': ' },
      { kind: 'link', text: 'https://herald.example/news', url: 'https://herald.example/news' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('keeps every character: the tokens joined give back the text', () => {
    const text = '  Grüße 👩‍👩‍👧 #EU\r\nline two\n \n\n(@bob.bsky.social) https://x.eu/a?b=1&c=2 end ';
    expect(
      tokenizePostText(text)
        .map((token) => token.text)
        .join(''),
    ).toBe(text);
  });

  it('does not take an all-digit hashtag, as Mastodon and Bluesky do not', () => {
    expect(marked('#2024 #2024EU #EU2024 #_2024 #1·2')).toEqual(['hashtag:#2024EU', 'hashtag:#EU2024']);
  });

  it('needs a boundary before a hashtag or mention: the start, whitespace or "("', () => {
    expect(marked('C#sharp a#b x@alice@example.social mail me@home.org (#EU) "#quoted"')).toEqual(['hashtag:#EU']);
  });

  it('ends a hashtag at punctuation and takes letters of any script', () => {
    expect(marked('#EU. #health, #Grüße! #東京 #foo-bar #EU🇪🇺 ＃wide')).toEqual([
      'hashtag:#EU',
      'hashtag:#health',
      'hashtag:#Grüße',
      'hashtag:#東京',
      'hashtag:#foo',
      'hashtag:#EU',
      'hashtag:＃wide',
    ]);
  });

  it('leaves a hashtag longer than 64 graphemes as text, since Bluesky cannot carry it', () => {
    expect(marked(`#${'a'.repeat(64)}`)).toHaveLength(1);
    expect(marked(`#${'a'.repeat(65)}`)).toEqual([]);
  });

  it('links only URLs written with http(s), without trailing punctuation, keeping balanced parentheses', () => {
    expect(marked('See europa.eu, mailto:a@b.eu, ftp://x.eu and https://x.eu/a?b=c! (https://x.eu/b).')).toEqual([
      'link:https://x.eu/a?b=c',
      'link:https://x.eu/b',
    ]);
    expect(marked('https://en.wikipedia.org/wiki/Foo_(bar), then')).toEqual(['link:https://en.wikipedia.org/wiki/Foo_(bar)']);
  });

  it('does not find hashtags or mentions inside a link', () => {
    expect(marked('https://social.example/@alice/#top @alice@social.example')).toEqual([
      'link:https://social.example/@alice/#top',
      'mention:@alice@social.example',
    ]);
  });

  it('takes @a.b as a Bluesky handle only for a real top-level domain or .test', () => {
    expect(marked('@bob.bsky.social. @alice.test @v1.2 @file.txt @ana.europa.eu')).toEqual([
      'mention:@bob.bsky.social',
      'mention:@alice.test',
      'mention:@ana.europa.eu',
    ]);
  });

  it('tells line breaks from paragraph breaks, blank lines with spaces included', () => {
    expect(tokenizePostText('one\ntwo \n \n three\r\nfour').map((token) => token.kind)).toEqual([
      'text',
      'lineBreak',
      'text',
      'paragraphBreak',
      'text',
      'lineBreak',
      'text',
    ]);
  });
});

describe('paragraphsOf', () => {
  it('drops whitespace at paragraph edges and empty paragraphs', () => {
    const paragraphs = paragraphsOf(tokenizePostText('\n\n  one\ntwo  \n\n\n\nthree\n'));
    expect(paragraphs.map((paragraph) => paragraph.map((token) => token.text).join(''))).toEqual(['one\ntwo', 'three']);
  });
});

describe('mentions', () => {
  it('lists fediverse accounts and Bluesky handles to resolve, lower-cased and once each', () => {
    const text = 'hi @Ana@Social.example, @bob@x.org and @ana@social.example; @Bob.bsky.social @bob.bsky.social';
    expect(mentionedAccts(text)).toEqual(['ana@social.example', 'bob@x.org']);
    expect(mentionedHandles(text)).toEqual(['bob.bsky.social']);
  });

  it('points a mention at its profile page on its own network', () => {
    expect(mentionProfileUrl({ network: 'fediverse', user: 'alice', host: 'example.social' })).toBe('https://example.social/@alice');
    expect(mentionProfileUrl({ network: 'bluesky', handle: 'Bob.bsky.social' })).toBe('https://bsky.app/profile/bob.bsky.social');
  });
});

describe('excerpt', () => {
  it('keeps short text and cuts long text at a word', () => {
    expect(excerpt('  short\n text ', 20)).toBe('short text');
    expect(excerpt('Every year seven hundred thousand people', 20)).toBe('Every year seven…');
  });
});
