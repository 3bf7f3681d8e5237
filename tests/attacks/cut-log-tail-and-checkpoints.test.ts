// Attack: cut the access log's last entries together with the signed checkpoints after them, so
// what is left verifies on its own, with the app
// closed. Before issue 11 the shortened log verified intact, in the app and in `doctor`.
import { describe, it } from 'vitest';
import { expectCutTailCaught, practicesForEachTest } from './attack-helpers';

const practices = practicesForEachTest();

describe('cut the log tail together with the later checkpoints', () => {
  it('is caught on this laptop by the anchor, and anywhere by --previous with an older export', async () => {
    const practice = await practices.start();
    await expectCutTailCaught(practice, 'cut');
  });
});
