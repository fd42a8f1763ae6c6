import { formatBytes } from './media.service.js';

describe('formatBytes', () => {
  it.each([
    [16_777_216, '16 MB'],
    [1_048_576, '1 MB'],
    [1_572_864, '1.5 MB'],
    [2_048, '2 KB'],
    [900, '900 bytes'],
  ])('says %d bytes as %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});
