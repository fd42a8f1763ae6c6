import { Coalescer } from './coalescer.js';

/** A run function that records its batches and finishes when the test lets it. */
function recordingRun() {
  const batches: number[][] = [];
  const finishers: Array<() => void> = [];
  const run = (inputs: number[]) => {
    batches.push(inputs);
    return new Promise<string[]>((resolve) => finishers.push(() => resolve(inputs.map((input) => `answer ${input}`))));
  };
  const finishNext = async () => {
    while (finishers.length === 0) await new Promise((resolve) => setImmediate(resolve));
    finishers.shift()!();
  };
  return { batches, run, finishNext };
}

describe('Coalescer', () => {
  it('runs the calls of one turn together, each getting its own answer', async () => {
    const { batches, run, finishNext } = recordingRun();
    const coalescer = new Coalescer(run);
    const answers = Promise.all([1, 2, 3].map((input) => coalescer.call(input)));
    await finishNext();
    expect(await answers).toEqual(['answer 1', 'answer 2', 'answer 3']);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('holds calls made during a run for the next run, all of them together', async () => {
    const { batches, run, finishNext } = recordingRun();
    const coalescer = new Coalescer(run);
    const first = coalescer.call(1);
    while (batches.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const later = [coalescer.call(2), coalescer.call(3)];
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    await finishNext();
    expect(await first).toBe('answer 1');
    await finishNext();
    expect(await Promise.all(later)).toEqual(['answer 2', 'answer 3']);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('takes at most maxBatch calls per run', async () => {
    const { batches, run, finishNext } = recordingRun();
    const coalescer = new Coalescer(run, 2);
    const answers = Promise.all([1, 2, 3, 4, 5].map((input) => coalescer.call(input)));
    for (let run = 0; run < 3; run++) await finishNext();
    expect(await answers).toHaveLength(5);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('rejects every call of a failed run with its error, and runs the next calls afterwards', async () => {
    let fail = true;
    const coalescer = new Coalescer(async (inputs: number[]) => {
      if (fail) throw new Error('connection lost');
      return inputs.map(String);
    });
    const failed = [coalescer.call(1), coalescer.call(2)].map((call) => call.catch((error: Error) => error.message));
    expect(await Promise.all(failed)).toEqual(['connection lost', 'connection lost']);
    fail = false;
    expect(await coalescer.call(3)).toBe('3');
  });
});
