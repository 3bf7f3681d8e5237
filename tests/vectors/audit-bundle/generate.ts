// Writes the audit bundle test vectors (run once: node scripts/make-audit-vectors.mjs). Two
// genuine bundles come from a real vault through the real core's export; every other vector is
// one of them with one change. The expected verdicts are written here by hand, from
// docs/audit-bundle.md; tests/unit/cli/audit-vectors.test.ts checks the CLI against them.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuditBundle } from '../../../electron/core/audit/audit-bundle';
import {
  fromHex,
  newSigningKeyPair,
  signingPublicKeyOf,
  toHex,
} from '../../../electron/core/platform/crypto';
import { exportText, fill, newCoreVault, resign } from '../../unit/helpers/audit-helpers';

export interface VectorCase {
  /** The file checked, in this folder. */
  bundle: string;
  /** The older bundle for --previous, in this folder. */
  previous?: string;
  description: string;
  exitCode: 0 | 1 | 3 | 4;
  firstBadSeq: number | null;
  /** Words the CLI's problem sentence contains (informative: another verifier words its own). */
  problem: string | null;
}

const folder = process.argv[2] ?? dirname(fileURLToPath(import.meta.url));

const vault = await newCoreVault();
const signingSecret = fill(vault, 8, (i) => ({
  action: i % 2 ? 'recording.play' : 'consent.sign',
  subject: i % 3 ? `rec-${i}` : undefined,
  outcome: i === 5 ? 'refused' : 'ok',
  reason: i === 5 ? 'Consent was withdrawn: "no" means no / ne — 同意なし \\ end' : undefined,
}));
const olderText = (await exportText(vault, 'json')).text;
fill(vault, 4, (i) => ({ action: 'recording.play', subject: `rec-${i}` }));
const newerText = (await exportText(vault, 'json')).text;
vault.cleanup();

const older = JSON.parse(olderText) as AuditBundle;
const newer = JSON.parse(newerText) as AuditBundle;
const count = newer.entries.length;
if (newer.checkpoints.length < 3) throw new Error('the newer bundle needs three checkpoints');

const cases: VectorCase[] = [];
for (const name of readdirSync(folder))
  if (name.endsWith('.json') && name !== 'manifest.json') rmSync(join(folder, name));
mkdirSync(folder, { recursive: true });

function add(
  bundle: string,
  content: string | Uint8Array | null,
  expected: Omit<VectorCase, 'bundle'>,
): void {
  if (content !== null) writeFileSync(join(folder, bundle), content);
  cases.push({ bundle, ...expected });
}
const copy = (): AuditBundle => structuredClone(newer);
/** The app's layout: one entry, hash or checkpoint per line; entries stay canonical. */
const write = (bundle: unknown): string => `${JSON.stringify(bundle, null, 0)}\n`;
const entryText = (seq: number) => JSON.stringify(newer.entries[seq - 1]);
function editEntryText(seq: number, edit: (text: string) => string): string {
  const text = entryText(seq);
  const changed = edit(text);
  if (changed === text) throw new Error(`the edit of entry ${seq} changed nothing`);
  return newerText.replace(text, changed);
}
const ok = { exitCode: 0, firstBadSeq: null, problem: null } as const;

// Genuine.
add('genuine-older.json', olderText, { description: 'A genuine export.', ...ok });
add('genuine-newer.json', newerText, {
  description: 'A genuine later export of the same vault.',
  ...ok,
});
add('genuine-newer.json', null, {
  previous: 'genuine-older.json',
  description: 'The later export extends the earlier one.',
  ...ok,
});

// The document layer: exit 3.
const bytes = Buffer.from(newerText, 'utf8');
const badUtf8 = Buffer.from(bytes);
badUtf8[bytes.indexOf('同')] = 0xff;
add('not-utf8.json', badUtf8, {
  description: 'A byte that is not UTF-8 inside a reason.',
  exitCode: 3,
  firstBadSeq: null,
  problem: 'not UTF-8',
});
add('bom.json', `\ufeff${newerText}`, {
  description: 'A UTF-8 byte-order mark before the document.',
  exitCode: 3,
  firstBadSeq: null,
  problem: 'byte-order mark',
});
add('truncated-file.json', newerText.slice(0, Math.floor(newerText.length / 2)), {
  description: 'The file cut in half (not JSON).',
  exitCode: 3,
  firstBadSeq: null,
  problem: 'not JSON',
});
add('top-level-array.json', `[${newerText}]`, {
  description: 'The bundle inside an array.',
  exitCode: 3,
  firstBadSeq: null,
  problem: 'not a JSON object',
});
add('wrong-format.json', newerText.replace('audit-bundle/1"', 'audit-bundle/2"'), {
  description: 'format names another version.',
  exitCode: 3,
  firstBadSeq: null,
  problem: 'is not a "session-vault-audit-bundle/1" bundle',
});
add(
  'format-escape-codes.json',
  newerText.replace(
    'session-vault-audit-bundle/1"',
    '\\u001b[2J\\u001b]0;owned\\u0007\\u009b31m\\u202e"',
  ),
  {
    description:
      'format holds terminal escape codes and a bidi override; none may reach the terminal.',
    exitCode: 3,
    firstBadSeq: null,
    problem: 'is not a "session-vault-audit-bundle/1" bundle',
  },
);
add('extra-top-level-key.json', newerText.replace('{"format"', '{"note":"added","format"'), {
  description: 'A top-level key the format does not define.',
  exitCode: 3,
  firstBadSeq: null,
  problem: 'does not define',
});
add('missing-export-signature.json', write({ ...copy(), exportSignature: undefined }), {
  description: 'No exportSignature.',
  exitCode: 3,
  firstBadSeq: null,
  problem: 'lacks "exportSignature"',
});
add('extra-head-key.json', write({ ...copy(), head: { ...newer.head, note: 'x' } }), {
  description: 'head with a key besides seq and hash.',
  exitCode: 3,
  firstBadSeq: null,
  problem: 'head is not',
});
add(
  'uppercase-vault-id.json',
  newerText.replace(`"vaultId":"${newer.vaultId}"`, `"vaultId":"${newer.vaultId.toUpperCase()}"`),
  {
    description: 'vaultId in upper-case hex.',
    exitCode: 3,
    firstBadSeq: null,
    problem: 'vaultId',
  },
);
add('duplicate-top-level-key.json', newerText.replace('{"format"', '{"format":"x","format"'), {
  description: 'The key "format" twice (JSON.parse would keep the second).',
  exitCode: 3,
  firstBadSeq: null,
  problem: 'appears twice',
});
add(
  'duplicate-entry-key.json',
  editEntryText(4, (t) => t.replace('"reason":', '"reason":"first","reason":')),
  {
    description: 'Entry 4 has the key "reason" twice.',
    exitCode: 3,
    firstBadSeq: null,
    problem: 'appears twice',
  },
);
add(
  'number-7.0.json',
  editEntryText(7, (t) => t.replace('"seq":7,', '"seq":7.0,')),
  {
    description: 'Entry 7 written "seq":7.0.',
    exitCode: 3,
    firstBadSeq: null,
    problem: 'not an integer written plainly',
  },
);
add(
  'number-1e0.json',
  editEntryText(1, (t) => t.replace('"seq":1,', '"seq":1e0,')),
  {
    description: 'Entry 1 written "seq":1e0.',
    exitCode: 3,
    firstBadSeq: null,
    problem: 'not an integer written plainly',
  },
);
add(
  'number-7.0000000000000001.json',
  editEntryText(7, (t) => t.replace('"seq":7,', '"seq":7.0000000000000001,')),
  {
    description: 'Entry 7 written "seq":7.0000000000000001 (parses to 7 as a double).',
    exitCode: 3,
    firstBadSeq: null,
    problem: 'not an integer written plainly',
  },
);
add(
  'number-beyond-2-53.json',
  newerText.replace(`"exportedAt":${newer.exportedAt}`, '"exportedAt":9007199254740993'),
  {
    description: 'exportedAt beyond 2^53 - 1.',
    exitCode: 3,
    firstBadSeq: null,
    problem: 'beyond the safe integers',
  },
);
add('deep-nesting.json', `${'['.repeat(100)}${']'.repeat(100)}`, {
  description: 'Arrays nested 100 deep.',
  exitCode: 3,
  firstBadSeq: null,
  problem: 'nests deeper',
});

// The evidence layer: exit 1.
add(
  'edited-entry.json',
  editEntryText(5, (t) => t.replace('"outcome":"ok"', '"outcome":"refused"')),
  {
    description: "Entry 5's outcome changed.",
    exitCode: 1,
    firstBadSeq: 5,
    problem: 'Entry 5 does not match its recorded hash',
  },
);
add(
  'reordered-entry-keys.json',
  editEntryText(3, (t) => {
    const { v, seq, ...rest } = JSON.parse(t) as Record<string, unknown>;
    return JSON.stringify({ seq, v, ...rest });
  }),
  {
    description:
      'Entry 3 with the same values, keys reordered (a re-serialising verifier would hash it correctly).',
    exitCode: 1,
    firstBadSeq: 3,
    problem: 'Entry 3 is not a well-formed entry: its fields are not',
  },
);
add(
  'spaced-entry.json',
  editEntryText(2, (t) => t.replace('"v":1,', '"v": 1,')),
  {
    description: 'Entry 2 with a space after a colon.',
    exitCode: 1,
    firstBadSeq: 2,
    problem: 'Entry 2 is not written in its canonical form',
  },
);
add(
  'escaped-entry.json',
  editEntryText(2, (t) =>
    t.replace(
      /"action":"(.)/,
      (_, c: string) => `"action":"\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    ),
  ),
  {
    description: 'Entry 2 writes a letter of its action as a \\u escape (same value, other bytes).',
    exitCode: 1,
    firstBadSeq: 2,
    problem: 'Entry 2 is not written in its canonical form',
  },
);
add(
  'uppercase-salt.json',
  editEntryText(6, (t) =>
    t.replace(/"salt":"([0-9a-f]+)"/, (_, hex: string) => `"salt":"${hex.toUpperCase()}"`),
  ),
  {
    description: "Entry 6's salt in upper-case hex.",
    exitCode: 1,
    firstBadSeq: 6,
    problem: 'salt is not 16 bytes of hex',
  },
);
add(
  'uppercase-entry-hash.json',
  newerText.replace(`"${newer.entryHashes[7]}"`, `"${newer.entryHashes[7]!.toUpperCase()}"`),
  {
    description: 'The hash of entry 8 in upper-case hex.',
    exitCode: 1,
    firstBadSeq: 8,
    problem: 'Entry 8 does not match its recorded hash',
  },
);
{
  const deleted = copy();
  deleted.entries.splice(3, 1);
  deleted.entryHashes.splice(3, 1);
  add('deleted-entry.json', write(deleted), {
    description: 'Entry 4 and its hash removed.',
    exitCode: 1,
    firstBadSeq: 4,
    problem: 'Entry 4 is missing',
  });
  const swapped = copy();
  for (const list of [swapped.entries, swapped.entryHashes] as unknown[][])
    [list[4], list[5]] = [list[5], list[4]];
  add('swapped-entries.json', write(swapped), {
    description: 'Entries 5 and 6 (with their hashes) swapped.',
    exitCode: 1,
    firstBadSeq: 5,
    problem: 'out of order',
  });
  const keep = count - 3;
  const truncated = copy();
  truncated.entries.length = keep;
  truncated.entryHashes.length = keep;
  truncated.head = { seq: keep, hash: truncated.entryHashes.at(-1)! };
  add('truncated-tail.json', write(truncated), {
    description:
      'The last three entries removed and head moved back; the checkpoint at the old head remains.',
    exitCode: 1,
    firstBadSeq: keep + 1,
    problem: 'removed from the end',
  });
  const empty = {
    ...copy(),
    entries: [],
    entryHashes: [],
    head: { seq: 0, hash: newer.head.hash },
  };
  add('zero-entries.json', write(empty), {
    description: 'Every entry removed.',
    exitCode: 1,
    firstBadSeq: 1,
    problem: 'holds no entries',
  });
  const shortHashes = copy();
  shortHashes.entryHashes.pop();
  add('entry-hash-missing.json', write(shortHashes), {
    description: 'One entry hash fewer than entries.',
    exitCode: 1,
    firstBadSeq: null,
    problem: 'entry hashes for',
  });
}
{
  const forged = copy();
  const checkpoint = forged.checkpoints[1]!;
  checkpoint.signature = checkpoint.signature.replace(/^./, (c) => (c === '0' ? '1' : '0'));
  add('forged-checkpoint.json', write(forged), {
    description: 'One bit of the second checkpoint signature changed.',
    exitCode: 1,
    firstBadSeq: checkpoint.seq,
    problem: `checkpoint at entry ${checkpoint.seq} is not signed`,
  });
  const malformed = copy();
  malformed.checkpoints[0]!.signature = malformed.checkpoints[0]!.signature.toUpperCase();
  add('uppercase-checkpoint-signature.json', write(malformed), {
    description: 'The first checkpoint signature in upper-case hex.',
    exitCode: 1,
    firstBadSeq: null,
    problem: 'checkpoints[0] is not a well-formed checkpoint',
  });
  const seqZero = copy();
  seqZero.checkpoints.unshift({ ...seqZero.checkpoints[0]!, seq: 0 });
  add('checkpoint-seq-0.json', write(seqZero), {
    description: 'A checkpoint at seq 0.',
    exitCode: 1,
    firstBadSeq: null,
    problem: 'seq is not an integer of 1 or more',
  });
  const moved = copy();
  [moved.checkpoints[0], moved.checkpoints[1]] = [moved.checkpoints[1]!, moved.checkpoints[0]!];
  add('checkpoints-out-of-order.json', write(moved), {
    description: 'The first two checkpoints swapped.',
    exitCode: 1,
    firstBadSeq: newer.checkpoints[0]!.seq,
    problem: 'oldest first',
  });
  const repeated = copy();
  repeated.checkpoints.splice(1, 0, repeated.checkpoints[0]!);
  add('checkpoint-twice.json', write(repeated), {
    description: 'The first checkpoint listed twice.',
    exitCode: 1,
    firstBadSeq: newer.checkpoints[0]!.seq,
    problem: 'appears twice',
  });
  const headless = copy();
  headless.checkpoints.pop();
  add('missing-head-checkpoint.json', write(headless), {
    description: "The export's own checkpoint (at head.seq) removed.",
    exitCode: 1,
    firstBadSeq: null,
    problem: 'no checkpoint at its head',
  });
}
{
  // A forger without the key: recomputes the chain, keeps the signatures.
  const edited = copy();
  (edited.entries[4] as Record<string, unknown>).reason = 'nothing to see';
  const rechained = resign(edited, newSigningKeyPair().secretKey, new Uint8Array(32));
  rechained.signingPublicKey = newer.signingPublicKey;
  rechained.checkpoints = newer.checkpoints;
  rechained.exportSignature = newer.exportSignature;
  const after = Math.min(...newer.checkpoints.map((c) => c.seq).filter((s) => s >= 5));
  add('rechained-edit.json', write(rechained), {
    description: 'Entry 5 edited and every entry hash recomputed, signatures kept.',
    exitCode: 1,
    firstBadSeq: after,
    problem: `do not lead to the hash signed at checkpoint ${after}`,
  });
  const reheaded = copy();
  reheaded.exportedBy = 'auditor:someone-else';
  add('export-signature-broken.json', write(reheaded), {
    description: 'exportedBy changed after the export.',
    exitCode: 1,
    firstBadSeq: null,
    problem: 'export signature does not verify',
  });
  const otherVault = copy();
  otherVault.vaultId = '00112233445566778899aabbccddeeff';
  add('other-vault-id.json', write(otherVault), {
    description: 'vaultId replaced: entry 1 no longer chains from the genesis.',
    exitCode: 1,
    firstBadSeq: 1,
    problem: 'genesis',
  });
  // Small-order public key: the identity point, with R = identity and S = 0 everywhere. An
  // OpenSSL-style verifier accepts these; libsodium's crypto_sign_verify_detached does not.
  const identity = `01${'00'.repeat(31)}`;
  const identitySignature = `01${'00'.repeat(63)}`;
  const weak = copy();
  weak.signingPublicKey = identity;
  weak.checkpoints = weak.checkpoints.map((c) => ({ ...c, signature: identitySignature }));
  weak.exportSignature = identitySignature;
  // The first checkpoint's signature with S + L in place of S (the same point equation holds):
  // RFC 8032 and libsodium refuse an S that is not below the group order L.
  const L = fromHex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');
  const malleable = copy();
  const signature = fromHex(malleable.checkpoints[0]!.signature);
  let carry = 0;
  for (let i = 0; i < 32; i += 1) {
    const sum = signature[32 + i]! + L[i]! + carry;
    signature[32 + i] = sum & 0xff;
    carry = sum >> 8;
  }
  if (carry !== 0 || signature[63]! >= 0x20) throw new Error('S + L does not fit: run again');
  malleable.checkpoints[0]!.signature = toHex(signature);
  add('non-canonical-s.json', write(malleable), {
    description: "The first checkpoint's signature with S + L in place of S (non-canonical).",
    exitCode: 1,
    firstBadSeq: newer.checkpoints[0]!.seq,
    problem: 'is not signed by this bundle',
  });
  add('identity-key.json', write(weak), {
    description: 'The identity (small-order) public key, every signature R = identity, S = 0.',
    exitCode: 1,
    firstBadSeq: newer.checkpoints[0]!.seq,
    problem: 'is not signed by this bundle',
  });
}
{
  const keys = newSigningKeyPair();
  const edited = copy();
  (edited.entries[4] as Record<string, unknown>).reason = 'rewritten';
  add('resigned-other-key.json', write(resign(edited, keys.secretKey, keys.publicKey)), {
    description:
      'Entry 5 rewritten and everything re-signed with another key: passes alone (only the fingerprint shows it).',
    ...ok,
  });
  add('resigned-other-key.json', null, {
    previous: 'genuine-older.json',
    description: 'The same, against the earlier export: the signing key changed.',
    exitCode: 4,
    firstBadSeq: null,
    problem: 'signing key changed',
  });
  const rewritten = copy();
  (rewritten.entries[2] as Record<string, unknown>).outcome = 'failed';
  add(
    'rewritten-with-vault-key.json',
    write(resign(rewritten, signingSecret, signingPublicKeyOf(signingSecret))),
    {
      description: "Entry 3 rewritten and re-signed with the vault's own key: passes alone.",
      ...ok,
    },
  );
  add('rewritten-with-vault-key.json', null, {
    previous: 'genuine-older.json',
    description: 'The same, against the earlier export: entry 3 differs.',
    exitCode: 4,
    firstBadSeq: 3,
    problem: 'Entry 3 differs',
  });
  add('genuine-older.json', null, {
    previous: 'genuine-newer.json',
    description: 'The bundles given the wrong way round: the "newer" one is shorter.',
    exitCode: 4,
    firstBadSeq: older.head.seq + 1,
    problem: 'entries were removed',
  });
  add('genuine-newer.json', null, {
    previous: 'edited-entry.json',
    description: 'The older bundle fails on its own: its own verdict, named as the older.',
    exitCode: 1,
    firstBadSeq: 5,
    problem: 'The older bundle: Entry 5 does not match',
  });
  add('genuine-newer.json', null, {
    previous: 'top-level-array.json',
    description: 'The older bundle is not a bundle.',
    exitCode: 3,
    firstBadSeq: null,
    problem: 'The older bundle: The file is not an audit bundle',
  });
}

writeFileSync(join(folder, 'manifest.json'), `${JSON.stringify({ cases }, null, 2)}\n`);
console.log(`${cases.length} cases written to ${folder}`);
