import { UnrecordedWindow } from './unrecorded-window.js';

describe('UnrecordedWindow', () => {
  it('lets no more than its size in, and hands a given-back place to the next in line', async () => {
    const window = new UnrecordedWindow(2, 60_000);
    const first = await window.enter();
    const second = await window.enter();
    let thirdIn = false;
    const third = window.enter().then((leave) => {
      thirdIn = true;
      return leave;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(thirdIn).toBe(false);
    expect(window.inUse).toBe(2);
    first();
    first(); // twice changes nothing
    const leaveThird = await third;
    expect(window.inUse).toBe(2);
    second();
    leaveThird();
    expect(window.inUse).toBe(0);
  });

  it('gives the place of a request still unanswered after slowMs back by itself', async () => {
    const window = new UnrecordedWindow(1, 20);
    const slow = await window.enter();
    const next = await window.enter(); // waits about 20 ms for the slow one to step aside
    expect(window.inUse).toBe(1);
    slow(); // its outcome written at last: the place it gave up is not given twice
    expect(window.inUse).toBe(1);
    next();
    expect(window.inUse).toBe(0);
  });
});
