// Attack: cut the access log's last entries (the signed checkpoints after them stay in the file), with the app
// closed. Before issue 11 the shortened log verified intact, in the app and in `doctor`.
import { describe, it } from 'vitest';
import { expectCutTailCaught, practicesForEachTest } from './attack-helpers';

const practices = practicesForEachTest();

describe('cut the log tail, keeping its checkpoints', () => {
  it('is caught on this laptop by the anchor, and anywhere by --previous with an older export', async () => {
    const practice = await practices.start();
    await expectCutTailCaught(practice, 'kept');
  });
});
