// Attack (or accident): a vault file cut short, checked with `doctor`. Before issue 11 doctor
// printed a raw SQLite stack trace.
import { statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VAULT_FILE_NAME } from '../../electron/core/platform/db';
import { practicesForEachTest } from './attack-helpers';
import { STACK_TRACE, doctorSays } from './doctor-findings';

const practices = practicesForEachTest();

describe('a truncated vault file through doctor', () => {
  it('is one sentence and exit code 1, never a stack trace, never HEALTHY', async () => {
    const practice = await practices.start();
    await practice.quit();
    const file = join(practice.dataDir, VAULT_FILE_NAME);
    const healthy = await doctorSays(practice.dataDir);
    expect(healthy).toMatchObject({ code: 0 });
    expect(healthy.text).toMatch(/HEALTHY$/);

    const size = statSync(file).size;
    for (const keep of [Math.floor(size / 2), 100]) {
      truncateSync(file, keep);
      const said = await doctorSays(practice.dataDir);
      expect(said.code).toBe(1);
      expect(said.text).not.toMatch(/HEALTHY$/);
      expect(said.text).toMatch(/PROBLEM: The (vault )?file (is|could)/);
      expect(said.text).not.toMatch(STACK_TRACE);
    }
  });
});
