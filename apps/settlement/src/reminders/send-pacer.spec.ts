import { PacerClock, SendPacer } from './send-pacer';

/** A clock that moves only when slept on, or when the test moves it. */
class FakeClock implements PacerClock {
  at = 1_000_000;
  readonly slept: number[] = [];

  now(): number {
    return this.at;
  }

  async sleep(ms: number): Promise<void> {
    this.slept.push(ms);
    this.at += ms;
  }
}

describe('SendPacer, the limit on reminders sent a second', () => {
  it('lets the first send go at once and spaces the next ones 1/perSecond of a second apart', async () => {
    const clock = new FakeClock();
    const pacer = new SendPacer(4, clock);
    const times: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      await pacer.wait();
      times.push(clock.at);
    }
    expect(times.map((t) => t - times[0])).toEqual([0, 250, 500, 750, 1000]);
  });

  it('waits only for what is left of the gap when the send itself took time, and not at all past it', async () => {
    const clock = new FakeClock();
    const pacer = new SendPacer(10, clock);
    await pacer.wait();
    clock.at += 40; // the send took 40 ms of the 100 ms gap
    await pacer.wait();
    clock.at += 500; // a slow send: the gap is long past
    await pacer.wait();
    expect(clock.slept).toEqual([60]);
  });

  it('does not save up a burst over an idle spell', async () => {
    const clock = new FakeClock();
    const pacer = new SendPacer(2, clock);
    await pacer.wait();
    clock.at += 10_000;
    await pacer.wait();
    await pacer.wait();
    expect(clock.slept).toEqual([500]);
  });

  it('refuses a rate of 0 or less', () => {
    expect(() => new SendPacer(0)).toThrow(/above 0/);
  });
});
