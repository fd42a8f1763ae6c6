import { Readable } from 'node:stream';
import { exportChunks, exportEncoder } from './export-format.js';

/** The chunks a stream emits as it flows, as it does when piped to an HTTP response. */
function flowing(stream: Readable): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer | string) => chunks.push(Buffer.from(chunk)));
    stream.once('end', () => resolve(chunks));
    stream.once('error', reject);
  });
}

describe('export encoding', () => {
  const rows = Array.from({ length: 5_000 }, (_, index) => [`id-${index}`, '2025-01-01', 'activitypub', index, 'a "quoted", label']);

  it('writes a CSV of many rows in 64 KiB chunks, byte for byte what the encoder gave', async () => {
    const perRow = await flowing(Readable.from(rows).pipe(exportEncoder('posts', 'csv')));
    const chunks = await flowing(Readable.from(rows).pipe(exportEncoder('posts', 'csv')).pipe(exportChunks()));
    // The encoder alone emits a chunk per row (and the header).
    expect(perRow.length).toBe(rows.length + 1);
    expect(Buffer.concat(chunks).equals(Buffer.concat(perRow))).toBe(true);
    expect(chunks.slice(0, -1).every((chunk) => chunk.length >= 64 * 1024)).toBe(true);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.length).toBeLessThanOrEqual(Math.ceil(Buffer.concat(perRow).length / (64 * 1024)));
  });
});
