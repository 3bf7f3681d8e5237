// library_titled_first_ms (issues 15/16): the first `recordings.library` after an unlock when every
// recording has a title, at a practice's year: 300 short recordings over 40 clients, each named
// with `recording.annotate`. Titles are sealed with their recording keys and what the session
// opened is forgotten at the lock, so this first call opens all 300; the baseline is the warm call
// right after it (the same titles, already open). Short recordings: the library reads summaries,
// never audio, so an hour per recording would only make the fixture slower to build.
import type { Core } from '../../electron/core/create-core';
import { call } from '../unit/helpers/practice-helpers';
import { PASSPHRASE } from './fixture';
import { type BenchGroup, log, median, now, round } from './harness';
import { buildYearFixture } from './year-fixture';

const CLIENTS = 40;
const RECORDINGS = 300;

async function timedLibrary(core: Core): Promise<number> {
  const started = now();
  const { recordings } = await call(core, 'recordings.library');
  const ms = now() - started;
  if (recordings.filter((r) => r.title !== null).length !== RECORDINGS)
    throw new Error('the library did not name every titled recording');
  return ms;
}

export const libraryTitlesGroup: BenchGroup = {
  name: 'library-titles',
  ids: ['library_titled_first_ms'],
  async run(options) {
    const fixture = await buildYearFixture({
      clients: CLIENTS,
      recordings: RECORDINGS,
      seconds: 5,
      name: 'library-titles',
    });
    try {
      const { core } = fixture;
      for (const [i, { recordingId }] of fixture.recordings.entries())
        await call(core, 'recording.annotate', {
          recordingId,
          title: `Session ${i + 1}: the anxiety plan, part ${(i % 7) + 1}`,
        });
      const rounds = options.quick ? 3 : 9;
      const first: number[] = [];
      const warm: number[] = [];
      for (let i = 0; i < rounds; i += 1) {
        await call(core, 'session.lock');
        await call(core, 'session.unlock', { passphrase: PASSPHRASE });
        first.push(await timedLibrary(core));
        warm.push(await timedLibrary(core));
      }
      log(
        `  library-titles: first ${first.map(round).join(', ')} ms; warm ${warm.map(round).join(', ')} ms`,
      );
      return [
        {
          id: 'library_titled_first_ms',
          value: round(median(first)),
          unit: 'ms',
          baseline: round(median(warm)),
          note: `median of ${rounds} unlocks (max ${round(Math.max(...first))}, the very first ${round(first[0]!)}); ${RECORDINGS} titled recordings, ${CLIENTS} clients; baseline the warm call after each`,
        },
      ];
    } finally {
      fixture.cleanup();
    }
  },
};
