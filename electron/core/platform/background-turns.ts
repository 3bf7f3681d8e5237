// Main's background work as steps in one queue: retention's (a sweep's signature checks, its
// batches of keys, the removal of ciphertext, the checkpoints after them) and the therapist
// unlock's checks of each client's signed records. One turn of main runs steps until
// TURN_BUDGET_MS is spent and then yields, so timers, requests and the capture window's chunks
// run before the next. Each kind of work once had its own setImmediate chain and its own budget,
// and all of them, with a tick's removal turn and the file completions of the poll phase, could
// land in one iteration of the event loop: 146–161 ms in a sweep of 60 where no single step took
// 15 (issue 16, `sweep_60_max_block_ms`; docs/benchmarks.md). One queue, made by createCore.
import { performance } from 'node:perf_hooks';

/** How long one turn of main may run queued steps before it lets everything else run. */
export const TURN_BUDGET_MS = 20;

interface Step {
  run: () => void;
  /** Runs only first in a turn: a step that may be long never follows others in one turn. */
  startsTurn: boolean;
  /** Told when the queue stops before the step ran. */
  dropped?: () => void;
}

export interface StepOptions {
  /**
   * The step may take a good part of a turn on its own (one client's checks at unlock: about
   * 20 ms for 30 recordings): it starts a turn rather than follow other steps in one, so a turn
   * is never the budget and such a step together.
   */
  startsTurn?: boolean;
}

export class BackgroundTurns {
  private readonly steps: Step[] = [];
  private timer: NodeJS.Immediate | null = null;
  private turnStarted: number | null = null;
  /** When the pending turn was asked for: what main did since is this iteration's other work. */
  private scheduledAt = 0;
  /** The last turn gave its place to other work: the next runs whatever came before it. */
  private yielded = false;
  private stopped = false;

  constructor(
    private readonly budgetMs = TURN_BUDGET_MS,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /**
   * Runs `step` in a later turn, after every step queued before it. A step handles its own
   * failure: one that throws is dropped and the queue goes on.
   */
  push(step: () => void, options: StepOptions = {}): void {
    if (this.stopped) return;
    this.steps.push({ run: step, startsTurn: options.startsTurn === true });
    this.schedule();
  }

  /**
   * Runs `step` in a later turn, as `push` does, and tells its result or its error. Rejects with
   * QueueStoppedError when the queue stops before the step ran (the core is closing).
   */
  run<T>(step: () => T, options: StepOptions = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.stopped) {
        reject(new QueueStoppedError());
        return;
      }
      this.steps.push({
        run: () => {
          try {
            resolve(step());
          } catch (error) {
            reject(error);
          }
        },
        startsTurn: options.startsTurn === true,
        dropped: () => reject(new QueueStoppedError()),
      });
      this.schedule();
    });
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
    const dropped = this.steps.splice(0);
    for (const step of dropped) step.dropped?.();
    if (this.timer) clearImmediate(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer || this.stopped || this.steps.length === 0) return;
    this.scheduledAt = this.clock();
    this.timer = setImmediate(() => {
      this.timer = null;
      this.runTurn();
    });
  }

  private runTurn(): void {
    // While a turn is pending the loop does not wait for I/O, so the time since it was asked for
    // is main's other work in this iteration (a request's own 40 ms, the capture window's chunk):
    // the turn gets what is left of the budget, or the next iteration (once in a row at most).
    const otherWork = this.clock() - this.scheduledAt;
    if (otherWork >= this.budgetMs && !this.yielded) {
      this.yielded = true;
      this.schedule();
      return;
    }
    this.yielded = false;
    this.turnStarted = this.clock() - Math.min(otherWork, this.budgetMs);
    try {
      let ran = 0;
      while (this.steps.length > 0 && !this.stopped) {
        if (ran > 0 && this.steps[0]!.startsTurn) break;
        const step = this.steps.shift()!;
        ran += 1;
        try {
          step.run();
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

/** A step given to `run` was dropped: the queue stopped (the core closed) before it ran. */
export class QueueStoppedError extends Error {
  constructor() {
    super('the background queue stopped before this step ran');
    this.name = 'QueueStoppedError';
  }
}
