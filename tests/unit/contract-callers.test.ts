// Who may call what is written once, in the contract. These are the sets main enforced before
// they moved there (the client's and the auditor's lists, and the capture window's prefix).
import { describe, expect, it } from 'vitest';
import { admits, channels, channelsFor, type CallerKind } from '../../shared/api';

const admitted = (caller: CallerKind) =>
  channels.filter((channel) => admits(channel, caller)).sort();

describe('who may call each channel', () => {
  it('a client in review: status, lock, touch, their review and playback', () => {
    expect(admitted('client')).toEqual(
      [
        'vault.status',
        'session.lock',
        'session.touch',
        'review.acknowledge',
        'review.library',
        'review.revoke',
        'review.end',
        'playback.open',
        'playback.chunk',
        'playback.close',
      ].sort(),
    );
  });

  it('an auditor: status, lock, touch, tamper alarms and the log, nothing else', () => {
    expect(admitted('auditor')).toEqual(
      [
        'vault.status',
        'vault.integrity',
        'session.lock',
        'session.touch',
        'audit.recent',
        'audit.verify',
        'audit.query',
        'audit.exportStart',
        'audit.exportNext',
        'audit.showExport',
        'audit.names',
      ].sort(),
    );
  });

  it('the capture window: capture.* and nothing else; no other caller reaches capture.*', () => {
    const capture = channels.filter((channel) => channel.startsWith('capture.')).sort();
    expect(admitted('capture')).toEqual(capture);
    expect(channelsFor('capture').sort()).toEqual(capture);
    for (const caller of ['therapist', 'client', 'auditor', 'locked'] as const)
      expect(admitted(caller).filter((channel) => channel.startsWith('capture.'))).toEqual([]);
    expect(channelsFor('ui').filter((channel) => channel.startsWith('capture.'))).toEqual([]);
  });

  it('every channel names at least one caller', () => {
    for (const channel of channels)
      expect(
        (['therapist', 'client', 'auditor', 'locked', 'capture'] as const).some((caller) =>
          admits(channel, caller),
        ),
      ).toBe(true);
  });
});
