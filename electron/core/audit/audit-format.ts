// The access log's formats: what an entry is, how it is written canonically, how the chain and the
// signed checkpoints are computed. Pure functions over bytes, shared by the log, its export and
// the offline verifier (docs/audit-bundle.md describes the same constructions).
import type { AuditAction, AuditEntryView } from '../../../shared/api';
import {
  boxPublicKeyOf,
  hash,
  signingPublicKeyOf,
  toHex,
  utf8,
  type BoxKeyPair,
} from '../platform/crypto';

export type ActorRole = AuditEntryView['actorRole'];
export type Outcome = AuditEntryView['outcome'];

export interface AuditEvent {
  actorRole: ActorRole;
  actorId?: string | null;
  action: AuditAction;
  subject?: string | null;
  outcome: Outcome;
  reason?: string | null;
}

export interface AuditEntry {
  v: 1;
  seq: number;
  at: number;
  salt: string;
  actorRole: ActorRole;
  actorId: string | null;
  action: string;
  subject: string | null;
  outcome: Outcome;
  reason: string | null;
}

export interface AuditSecrets {
  box: BoxKeyPair;
  signing: BoxKeyPair;
}

/** The audit secrets as one byte string, for wrapping. */
export function packAuditSecrets(secrets: AuditSecrets): Uint8Array {
  const bytes = new Uint8Array(32 + 64);
  bytes.set(secrets.box.secretKey, 0);
  bytes.set(secrets.signing.secretKey, 32);
  return bytes;
}

export function unpackAuditSecrets(bytes: Uint8Array): AuditSecrets {
  const boxSecret = bytes.slice(0, 32);
  const signSecret = bytes.slice(32, 96);
  return {
    box: { secretKey: boxSecret, publicKey: boxPublicKeyOf(boxSecret) },
    signing: { secretKey: signSecret, publicKey: signingPublicKeyOf(signSecret) },
  };
}

/** One fixed key order, so the same entry always hashes the same. */
export function canonicalEntry(entry: AuditEntry): string {
  return JSON.stringify({
    v: entry.v,
    seq: entry.seq,
    at: entry.at,
    salt: entry.salt,
    actorRole: entry.actorRole,
    actorId: entry.actorId,
    action: entry.action,
    subject: entry.subject,
    outcome: entry.outcome,
    reason: entry.reason,
  });
}

function seqBytes(seq: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(seq));
  return bytes;
}

export function genesisHash(vaultId: Uint8Array): Uint8Array {
  return hash(utf8.encode('session-vault/audit/genesis/v1'), vaultId);
}

export function chainHash(prev: Uint8Array, seq: number, contentHash: Uint8Array): Uint8Array {
  return hash(prev, seqBytes(seq), contentHash);
}

export function checkpointMessage(
  vaultId: Uint8Array,
  seq: number,
  headHash: Uint8Array,
  at: number,
): Uint8Array {
  return utf8.encode(
    `session-vault/checkpoint/v1|${toHex(vaultId)}|${seq}|${toHex(headHash)}|${at}`,
  );
}
