// Main's background queue (retention's steps and the unlock's checks): steps run in order, a turn
// ends once its budget is spent (the rest runs in later turns, with timers between), a step that
// may be long starts a turn of its own, and a failing step stops nothing.
import { describe, expect, it } from 'vitest';
import {
  BackgroundTurns,
  QueueStoppedError,
} from '../../../electron/core/platform/background-turns';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('BackgroundTurns', () => {
  it('runs steps in order, a turn at most as long as its budget plus one step', async () => {
    let clock = 0;
    const turns = new BackgroundTurns(20, () => clock);
    const ran: string[] = [];
    // Each step costs 8 "ms" on the queue's clock: two fit in a budget of 20, the third ends it.
    for (const name of ['a', 'b', 'c', 'd', 'e'])
      turns.push(() => {
        clock += 8;
        ran.push(name);
      });
    expect(ran).toEqual([]);
    await nextTurn();
    expect(ran).toEqual(['a', 'b', 'c']);
    await nextTurn();
    expect(ran).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('lets a due timer run between two turns', async () => {
    const turns = new BackgroundTurns(20);
    const order: string[] = [];
    const steps = () => order.filter((entry) => entry === 'step').length;
    // Each step holds main 25 ms for real: past the budget, so each is a turn of its own.
    const again = (): void => {
      const until = performance.now() + 25;
      while (performance.now() < until);
      order.push('step');
      if (steps() < 3) turns.push(again);
    };
    turns.push(again);
    setTimeout(() => order.push('timer'), 1);
    while (steps() < 3) await nextTurn();
    // Run in one turn, the three steps would all come before the timer.
    expect(order).toHaveLength(4);
    expect(order.indexOf('timer')).toBeLessThan(order.lastIndexOf('step'));
  });

  it('tells a looping step what is left of its turn, and the whole budget outside one', async () => {
    let clock = 0;
    const turns = new BackgroundTurns(20, () => clock);
    expect(turns.remainingMs()).toBe(20);
    const seen: number[] = [];
    turns.push(() => {
      clock += 15;
      seen.push(turns.remainingMs());
    });
    await nextTurn();
    expect(seen).toEqual([5]);
  });

  it('goes on after a step that throws, and drops what is queued once stopped', async () => {
    const turns = new BackgroundTurns();
    const ran: string[] = [];
    turns.push(() => {
      throw new Error('a full disk');
    });
    turns.push(() => ran.push('after'));
    await nextTurn();
    expect(ran).toEqual(['after']);
    turns.push(() => ran.push('dropped'));
    turns.stop();
    turns.push(() => ran.push('refused'));
    await nextTurn();
    await nextTurn();
    expect(ran).toEqual(['after']);
  });

  it('starts a turn with a step that may be long, never after others in the same turn', async () => {
    let clock = 0;
    const turns = new BackgroundTurns(20, () => clock);
    const ran: string[] = [];
    const step = (name: string, cost: number) => () => {
      clock += cost;
      ran.push(name);
    };
    turns.push(step('small', 5));
    turns.run(step('client', 15), { startsTurn: true }).catch(() => undefined);
    turns.push(step('after', 1));
    await nextTurn();
    // 5 of 20 spent, but the long step waits for a turn of its own; what follows it may join it.
    expect(ran).toEqual(['small']);
    await nextTurn();
    expect(ran).toEqual(['small', 'client', 'after']);
  });

  it('tells a step’s result or error, and refuses the steps a stop dropped', async () => {
    const turns = new BackgroundTurns();
    await expect(turns.run(() => 42)).resolves.toBe(42);
    await expect(
      turns.run(() => {
        throw new Error('a full disk');
      }),
    ).rejects.toThrow('a full disk');
    const dropped = turns.run(() => 'never');
    turns.stop();
    await expect(dropped).rejects.toBeInstanceOf(QueueStoppedError);
    await expect(turns.run(() => 'after')).rejects.toBeInstanceOf(QueueStoppedError);
  });

  it('counts main’s other work since the turn was asked for, and gives way to it once', async () => {
    let clock = 0;
    const turns = new BackgroundTurns(20, () => clock);
    const ran: string[] = [];
    const step = (name: string) => () => {
      clock += 8;
      ran.push(name);
    };
    for (const name of ['a', 'b', 'c']) turns.push(step(name));
    // The request that queued them goes on for 10 "ms" in the same iteration: 10 are left.
    clock += 10;
    await nextTurn();
    expect(ran).toEqual(['a', 'b']);

    turns.push(step('d'));
    // This time it goes on for a whole budget: the turn waits for the next iteration, once.
    clock += 25;
    await nextTurn();
    expect(ran).toEqual(['a', 'b']);
    clock += 25;
    await nextTurn();
    expect(ran).toEqual(['a', 'b', 'c']);
  });
});
