import { AdapterError, failureClassOf } from './protocol-adapter.js';

describe('failureClassOf', () => {
  it('uses the class an adapter gave', () => {
    expect(failureClassOf(new AdapterError('gone', 'permanent'))).toBe('permanent');
    expect(failureClassOf(new AdapterError('expired', 'reauthenticate'))).toBe('reauthenticate');
  });

  it('retries anything unclassified (network errors, bugs)', () => {
    expect(failureClassOf(new TypeError('fetch failed'))).toBe('retry');
    expect(failureClassOf('weird')).toBe('retry');
  });
});
