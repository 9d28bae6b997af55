import { GrabAnswer, GrabRig } from './grab-rig';
import { TestResident } from './residents';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RushGrab {
  resident: TestResident;
  round: string;
}

/**
 * A rush of grabs by `clients` clients at once, each taking the next grab of the list and, as
 * the app does, trying a 503 again after a pause until it gets another answer (or gives up:
 * the last 503 is then its answer). A test can pause it (no grab in flight, as while Redis
 * restarts) to do something to the state between two grabs, then let it go on.
 */
export class GrabRush {
  /** The final answer of each grab of the list, in its order. */
  readonly answers: Array<GrabAnswer & { round: string }> = [];
  /** Every answer any try was given, 503s included. */
  readonly seen: GrabAnswer[] = [];
  private next = 0;
  private inFlight = 0;
  private gate: Promise<void> | null = null;
  private openGate: () => void = () => undefined;
  private finished = 0;
  /** pauseWhenAnswered's count, and what it waits on. */
  private pauseAt: { count: number; reached: () => void } | null = null;

  constructor(
    private readonly rig: GrabRig,
    private readonly grabs: RushGrab[],
    private readonly options: { clients: number; retryEveryMs?: number; triesEach?: number } = { clients: 50 },
  ) {}

  /** How many grabs of the list have their final answer. */
  get answered(): number {
    return this.finished;
  }

  /** Runs every grab of the list; resolves with their final answers. */
  async run(): Promise<Array<GrabAnswer & { round: string }>> {
    await Promise.all(Array.from({ length: this.options.clients }, () => this.client()));
    return this.answers;
  }

  async whenAnswered(count: number): Promise<void> {
    while (this.finished < count) await sleep(5);
  }

  /** Resolves once no grab is in flight; none starts until resume(). */
  async pause(): Promise<void> {
    this.closeGate();
    while (this.inFlight > 0) await sleep(5);
  }

  /**
   * pause(), closed at the very answer that makes `count`: at most count + clients - 1 grabs are
   * answered by then (whenAnswered, then pause, lets more through while the poll sleeps).
   */
  async pauseWhenAnswered(count: number): Promise<void> {
    if (this.finished < count) await new Promise<void>((reached) => (this.pauseAt = { count, reached }));
    else this.closeGate();
    while (this.inFlight > 0) await sleep(5);
  }

  private closeGate(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  resume(): void {
    this.gate = null;
    this.openGate();
  }

  private async client(): Promise<void> {
    for (;;) {
      if (this.gate) await this.gate;
      const index = this.next++;
      if (index >= this.grabs.length) return;
      const { resident, round } = this.grabs[index];
      this.answers[index] = { ...(await this.grabRetrying(resident, round)), round };
      this.finished += 1;
      if (this.pauseAt && this.finished >= this.pauseAt.count) {
        this.closeGate();
        this.pauseAt.reached();
        this.pauseAt = null;
      }
    }
  }

  private async grabRetrying(resident: TestResident, round: string): Promise<GrabAnswer> {
    for (let attempt = 1; ; attempt++) {
      if (this.gate) await this.gate;
      this.inFlight += 1;
      const answer = await this.rig.grab(resident, round).finally(() => (this.inFlight -= 1));
      this.seen.push(answer);
      if (answer.status !== 503 || attempt >= (this.options.triesEach ?? 100)) return answer;
      await sleep(this.options.retryEveryMs ?? 100);
    }
  }
}
