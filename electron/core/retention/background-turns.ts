// Main's background work for retention (a sweep's signature checks, its batches of keys, the
// removal of ciphertext, the checkpoints after them) as steps in one queue. One turn of main runs
// steps until TURN_BUDGET_MS is spent and then yields, so timers, requests and the capture
// window's chunks run before the next. Each kind of work once had its own setImmediate chain and
// its own budget, and all of them, with a tick's removal turn and the file completions of the
// poll phase, could land in one iteration of the event loop: 146–161 ms in a sweep of 60 where
// no single step took 15 (issue 16, `sweep_60_max_block_ms`; docs/benchmarks.md).
import { performance } from 'node:perf_hooks';

/** How long one turn of main may run queued steps before it lets everything else run. */
export const TURN_BUDGET_MS = 20;

export class BackgroundTurns {
  private readonly steps: (() => void)[] = [];
  private timer: NodeJS.Immediate | null = null;
  private turnStarted: number | null = null;
  private stopped = false;

  constructor(
    private readonly budgetMs = TURN_BUDGET_MS,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /**
   * Runs `step` in a later turn, after every step queued before it. A step handles its own
   * failure: one that throws is dropped and the queue goes on.
   */
  push(step: () => void): void {
    if (this.stopped) return;
    this.steps.push(step);
    this.schedule();
  }

  /**
   * What is left of this turn's budget, for a step that loops over small pieces (the remover):
   * the whole budget outside a turn of the queue.
   */
  remainingMs(): number {
    if (this.turnStarted === null) return this.budgetMs;
    return Math.max(0, this.budgetMs - (this.clock() - this.turnStarted));
  }

  /** The core is closing: queued steps are dropped (what they would do stays due or pending). */
  stop(): void {
    this.stopped = true;
    this.steps.length = 0;
    if (this.timer) clearImmediate(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer || this.stopped || this.steps.length === 0) return;
    this.timer = setImmediate(() => {
      this.timer = null;
      this.runTurn();
    });
  }

  private runTurn(): void {
    this.turnStarted = this.clock();
    try {
      while (this.steps.length > 0 && !this.stopped) {
        const step = this.steps.shift()!;
        try {
          step();
        } catch {
          // Each step keeps what it could not do due or pending for a later one.
        }
        if (this.clock() - this.turnStarted >= this.budgetMs) break;
      }
    } finally {
      this.turnStarted = null;
    }
    // Steps pushed during this turn (and any left) wait for the next one: setImmediate from
    // within an immediate runs after the timers and the poll of the next iteration.
    this.schedule();
  }
}
