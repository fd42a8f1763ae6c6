import { parentDomains } from './blocks.repository.js';

describe('parentDomains', () => {
  it('lists a host and every parent domain above the top level', () => {
    expect(parentDomains('a.b.example.org')).toEqual(['a.b.example.org', 'b.example.org', 'example.org']);
  });

  it('keeps a single-label host, so a block on it matches', () => {
    expect(parentDomains('localhost')).toEqual(['localhost']);
  });

  it('keeps an IPv4 address whole: its tail is no parent', () => {
    expect(parentDomains('127.0.0.3')).toEqual(['127.0.0.3']);
  });

  it('keeps a bare domain as is', () => {
    expect(parentDomains('example.org')).toEqual(['example.org']);
  });
});
