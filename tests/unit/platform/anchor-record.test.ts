// The anchor record and the rollback judgement, through the memory store: a restored copy is
// named a rollback with the recordings to destroy again; a rewritten log or swapped state key is
// named as such; a forged record never reads as an anchor.
import { beforeAll, describe, expect, it } from 'vitest';
import { hash, initCrypto, randomBytes, utf8 } from '../../../electron/core/platform/crypto';
import {
  AHEAD_MAX,
  ANCHOR_LARGEST_BYTES,
  ANCHOR_MAX_BYTES,
  RECENT_CLOSED_MAX,
  withAhead,
  withoutAhead,
  anchorKeyOf,
  decodeAnchorRecord,
  emptyClosedDigest,
  encodeAnchorRecord,
  firstAnchorRecord,
  nextClosedDigest,
  closingTagOf,
  withClosed,
  type ClosingEvent,
  withHead,
  type AnchorRecord,
} from '../../../electron/core/platform/anchor-record';
import { MemoryAnchorStore } from '../../../electron/core/platform/anchor-store';
import {
  judgeAgainstAnchor,
  type VaultSnapshot,
} from '../../../electron/core/platform/rollback-check';

beforeAll(initCrypto);

/** A vault as the judgement sees it: a log of entry hashes and a ledger of closing events. */
class FakeVaultHistory {
  readonly vaultId = randomBytes(16);
  readonly statePublicKey = randomBytes(32);
  entries: Uint8Array[] = [];
  closed: ClosingEvent[] = [];
  recordings: string[] = [];
  clients: string[] = [];

  append(): { seq: number; hash: Uint8Array } {
    const prev = this.entries.at(-1) ?? new Uint8Array(32);
    this.entries.push(hash(prev, utf8.encode(String(this.entries.length + 1))));
    return { seq: this.entries.length, hash: this.entries.at(-1)! };
  }

  record(id: string): void {
    this.recordings.push(id);
    this.append();
  }

  close(event: ClosingEvent): void {
    this.closed.push(event);
    this.append();
  }

  destroy(recordingId: string): void {
    this.close({ kind: 'destroyed', recordingId });
  }

  private closedFor(kind: ClosingEvent['kind']): string[] {
    return this.closed.flatMap((event) =>
      event.kind !== kind ? [] : [event.kind === 'destroyed' ? event.recordingId : event.clientId],
    );
  }

  snapshot(): VaultSnapshot {
    const entries = [...this.entries];
    const closed = [...this.closed];
    const destroyed = this.closedFor('destroyed');
    const revoked = this.closedFor('revoked');
    const ended = this.closedFor('therapy-ended');
    return {
      vaultId: this.vaultId,
      logHeadSeq: entries.length,
      entryHashAt: (seq) => entries[seq - 1] ?? null,
      closedCount: closed.length,
      closedDigestAt: (count) => {
        if (count > closed.length) return null;
        let digest = emptyClosedDigest(this.vaultId);
        for (const event of closed.slice(0, count))
          digest = nextClosedDigest(digest, closingTagOf(this.vaultId, event));
        return digest;
      },
      statePublicKey: this.statePublicKey,
      liveRecordingIds: this.recordings.filter((id) => !destroyed.includes(id)),
      unrevokedClientIds: this.clients.filter((id) => !revoked.includes(id)),
      ongoingClientIds: this.clients.filter((id) => !ended.includes(id)),
    };
  }

  clone(): FakeVaultHistory {
    const copy = Object.assign(Object.create(FakeVaultHistory.prototype), this) as FakeVaultHistory;
    copy.entries = [...this.entries];
    copy.closed = [...this.closed];
    copy.recordings = [...this.recordings];
    copy.clients = [...this.clients];
    return copy;
  }
}

function anchorAfter(vault: FakeVaultHistory, closedInOrder: ClosingEvent[]): AnchorRecord {
  let record = firstAnchorRecord(
    vault.vaultId,
    { seq: 0, hash: new Uint8Array(32) },
    vault.statePublicKey,
    0,
  );
  for (const event of closedInOrder) record = withClosed(record, vault.vaultId, event);
  return withHead(record, { seq: vault.entries.length, hash: vault.entries.at(-1)! }, 1);
}

describe('rollback judgement', () => {
  it('the vault the anchor saw, or one that went on since, is current', () => {
    const vault = new FakeVaultHistory();
    vault.record('r1');
    vault.record('r2');
    vault.destroy('r1');
    const anchor = anchorAfter(vault, vault.closed);
    expect(judgeAgainstAnchor(anchor, vault.snapshot())).toEqual({ kind: 'current' });
    vault.record('r3');
    vault.destroy('r2');
    expect(judgeAgainstAnchor(anchor, vault.snapshot())).toEqual({ kind: 'current' });
  });

  it('a copy put back after a revocation is a rollback naming the revocation and every recording to destroy again', () => {
    const vault = new FakeVaultHistory();
    vault.clients = ['client-a', 'client-b'];
    for (const id of ['a1', 'a2', 'b1']) vault.record(id);
    const copy = vault.clone();
    vault.close({ kind: 'revoked', clientId: 'client-a' });
    vault.destroy('a1');
    vault.destroy('a2');
    vault.close({ kind: 'therapy-ended', clientId: 'client-b' });
    const anchor = anchorAfter(vault, vault.closed);
    expect(judgeAgainstAnchor(anchor, copy.snapshot())).toEqual({
      kind: 'rollback',
      destroyAgain: ['a1', 'a2'],
      revokeAgain: ['client-a'],
      endAgain: ['client-b'],
      unnamedClosed: 0,
      missingEntries: 4,
    });
  });

  it('a log cut at its tail is a rollback even with nothing destroyed', () => {
    const vault = new FakeVaultHistory();
    vault.record('r1');
    vault.record('r2');
    const anchor = anchorAfter(vault, []);
    const cut = vault.clone();
    cut.entries.pop();
    expect(judgeAgainstAnchor(anchor, cut.snapshot())).toMatchObject({
      kind: 'rollback',
      missingEntries: 1,
    });
  });

  it('a copy older than the anchor can name says how many it cannot name', () => {
    const vault = new FakeVaultHistory();
    const ids = Array.from({ length: RECENT_CLOSED_MAX + 5 }, (_, i) => `r${i}`);
    for (const id of ids) vault.record(id);
    const copy = vault.clone();
    for (const id of ids) vault.destroy(id);
    const verdict = judgeAgainstAnchor(anchorAfter(vault, vault.closed), copy.snapshot());
    expect(verdict).toMatchObject({ kind: 'rollback', unnamedClosed: 5 });
    expect(verdict.kind === 'rollback' && verdict.destroyAgain).toHaveLength(RECENT_CLOSED_MAX);
  });

  it('a rewritten log entry, ledger or state key is named rewritten, not current', () => {
    const vault = new FakeVaultHistory();
    vault.record('r1');
    vault.destroy('r1');
    const anchor = anchorAfter(vault, vault.closed);

    const rewritten = vault.clone();
    rewritten.entries[1] = randomBytes(32);
    expect(judgeAgainstAnchor(anchor, rewritten.snapshot())).toMatchObject({ kind: 'rewritten' });

    const otherLedger = vault.clone();
    otherLedger.closed = [{ kind: 'destroyed', recordingId: 'r-other' }];
    expect(judgeAgainstAnchor(anchor, otherLedger.snapshot())).toMatchObject({ kind: 'rewritten' });

    expect(
      judgeAgainstAnchor(anchor, { ...vault.snapshot(), statePublicKey: randomBytes(32) }),
    ).toMatchObject({ kind: 'rewritten' });
  });
});

describe('anchor record bytes', () => {
  it('round-trips, and stays within the keychain limit when full', () => {
    const vaultId = randomBytes(16);
    const key = anchorKeyOf(randomBytes(32), vaultId);
    let record = firstAnchorRecord(
      vaultId,
      { seq: 3, hash: randomBytes(32) },
      randomBytes(32),
      1_234,
    );
    for (let i = 0; i < 500; i += 1)
      record = withClosed(record, vaultId, { kind: 'destroyed', recordingId: `r${i}` });
    const bytes = encodeAnchorRecord(vaultId, record, key);
    expect(bytes.length).toBe(ANCHOR_MAX_BYTES);
    expect(decodeAnchorRecord(vaultId, bytes, key)).toEqual(record);
    expect(record.recentClosed).toHaveLength(RECENT_CLOSED_MAX);
    expect(record.closedCount).toBe(500);
  });

  it('every single flipped bit reads as forged in the memory store', async () => {
    const vaultId = randomBytes(16);
    const deviceSecret = randomBytes(32);
    const store = new MemoryAnchorStore((id) => anchorKeyOf(deviceSecret, id));
    let record = firstAnchorRecord(vaultId, { seq: 9, hash: randomBytes(32) }, randomBytes(32), 5);
    record = withClosed(record, vaultId, { kind: 'revoked', clientId: 'c1' });
    await store.write(vaultId, record);
    expect(await store.read(vaultId)).toEqual({ state: 'present', record });
    const genuine = store.rawBytes(vaultId)!;
    for (let bit = 0; bit < genuine.length * 8; bit += 7) {
      const bytes = genuine.slice();
      bytes[bit >> 3] = bytes[bit >> 3]! ^ (1 << (bit & 7));
      store.putRawBytes(vaultId, bytes);
      expect((await store.read(vaultId)).state).toBe('forged');
    }
    store.putRawBytes(vaultId, genuine.subarray(0, genuine.length - 8));
    expect((await store.read(vaultId)).state).toBe('forged');
    expect(await store.remove(vaultId)).toBe(true);
    expect(await store.read(vaultId)).toEqual({ state: 'absent' });
  });
});

describe('names ahead and pins (the second format)', () => {
  it('a crash between the name and the commit leaves the event to finish, the count untouched', () => {
    const vault = new FakeVaultHistory();
    vault.clients = ['client-a'];
    vault.record('r1');
    vault.record('r2');
    const named = withAhead(anchorAfter(vault, vault.closed), vault.vaultId, [
      { kind: 'revoked', clientId: 'client-a' },
      { kind: 'destroyed', recordingId: 'r1' },
    ]);
    expect(named.closedCount).toBe(0);
    expect(judgeAgainstAnchor(named, vault.snapshot())).toEqual({
      kind: 'rollback',
      destroyAgain: [],
      revokeAgain: [],
      endAgain: [],
      unnamedClosed: 0,
      missingEntries: 0,
      finish: [
        { kind: 'destroyed', recordingId: 'r1' },
        { kind: 'revoked', clientId: 'client-a' },
      ],
    });
    // Committed in another order than named: the count follows the ledger, so it is current.
    let anchor = named;
    for (const event of [
      { kind: 'destroyed', recordingId: 'r1' },
      { kind: 'revoked', clientId: 'client-a' },
    ] as ClosingEvent[]) {
      vault.close(event);
      anchor = withClosed(anchor, vault.vaultId, event);
    }
    expect(anchor.ahead).toEqual([]);
    anchor = withHead(anchor, { seq: vault.entries.length, hash: vault.entries.at(-1)! }, 2);
    expect(judgeAgainstAnchor(anchor, vault.snapshot())).toEqual({ kind: 'current' });
    // A name whose commit failed is taken back: nothing to finish.
    const withdrawn = withoutAhead(
      withAhead(anchor, vault.vaultId, [{ kind: 'destroyed', recordingId: 'r2' }]),
      vault.vaultId,
      [{ kind: 'destroyed', recordingId: 'r2' }],
    );
    expect(judgeAgainstAnchor(withdrawn, vault.snapshot())).toEqual({ kind: 'current' });
  });

  it('round-trips with pins and names ahead, within the keychain limit; the first format still reads', () => {
    const vaultId = randomBytes(16);
    const key = anchorKeyOf(randomBytes(32), vaultId);
    let record = firstAnchorRecord(vaultId, { seq: 3, hash: randomBytes(32) }, randomBytes(32), 9);
    for (let i = 0; i < 300; i += 1)
      record = withClosed(record, vaultId, { kind: 'destroyed', recordingId: `r${i}` });
    const firstFormat = encodeAnchorRecord(vaultId, record, key);
    expect(firstFormat.length).toBe(ANCHOR_MAX_BYTES);
    expect(decodeAnchorRecord(vaultId, firstFormat, key)).toEqual(record);

    const events = Array.from({ length: AHEAD_MAX }, (_, i): ClosingEvent => ({
      kind: 'destroyed',
      recordingId: `next${i}`,
    }));
    const pinned: AnchorRecord = {
      ...withAhead(record, vaultId, events),
      stateRecordsComplete: true,
      vaultRecordComplete: true,
      hold: { kind: 'rollback', at: 1_700_000_000_000 },
    };
    const bytes = encodeAnchorRecord(vaultId, pinned, key);
    expect(bytes.length).toBe(ANCHOR_LARGEST_BYTES);
    expect(ANCHOR_LARGEST_BYTES).toBe(2230);
    expect(ANCHOR_LARGEST_BYTES).toBeLessThan(2560);
    expect(decodeAnchorRecord(vaultId, bytes, key)).toEqual(pinned);
    const unpinned = { ...pinned, hold: null, ahead: [] };
    expect(decodeAnchorRecord(vaultId, encodeAnchorRecord(vaultId, unpinned, key), key)).toEqual(
      unpinned,
    );
    // The vault record's pin alone still takes the second format.
    const vaultRecordOnly = { ...unpinned, stateRecordsComplete: false };
    expect(
      decodeAnchorRecord(vaultId, encodeAnchorRecord(vaultId, vaultRecordOnly, key), key),
    ).toEqual(vaultRecordOnly);
    // Cut short by a name and the MAC: never an anchor.
    const cut = bytes.slice(0, bytes.length - 8 - 32);
    expect(() => decodeAnchorRecord(vaultId, cut, key)).toThrow();
  });
});
