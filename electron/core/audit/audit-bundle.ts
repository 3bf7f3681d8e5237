// The audit bundle's format, shared by the exporter (main) and the offline verifier (cli/).
// docs/audit-bundle.md describes it byte by byte; a change here is a new format version.
import { hash, toHex, utf8 } from '../platform/crypto';

export const BUNDLE_FORMAT = 'session-vault-audit-bundle/1';

/** Who exported: the therapist, or one auditor by id. Restricted so the signed message stays unambiguous. */
export const EXPORTER_PATTERN = /^(therapist|auditor:[A-Za-z0-9_-]{1,64})$/;

export interface BundleCheckpoint {
  seq: number;
  at: number;
  /** hex, 32 bytes */
  headHash: string;
  /** hex, 64 bytes (Ed25519) */
  signature: string;
}

/** What the bundle holds besides its entries and entry hashes. */
export interface BundleHeader {
  format: typeof BUNDLE_FORMAT;
  /** hex, 16 bytes */
  vaultId: string;
  /** Milliseconds since 1970-01-01 UTC. */
  exportedAt: number;
  exportedBy: string;
  /** hex, 32 bytes (Ed25519) */
  signingPublicKey: string;
}

export interface AuditBundle extends BundleHeader {
  /** The canonical entry objects, exactly as hashed, seq 1..head.seq. */
  entries: unknown[];
  /** hex, the stored entry hash of each entry (entryHashes[i] belongs to entries[i]). */
  entryHashes: string[];
  checkpoints: BundleCheckpoint[];
  head: { seq: number; hash: string };
  /** hex, 64 bytes: Ed25519 over exportSignatureMessage(). */
  exportSignature: string;
}

/**
 * What the export signature covers:
 * `session-vault/audit-export/v1|format|vaultIdHex|exportedAt|exportedBy|headSeq|headHashHex`.
 */
export function exportSignatureMessage(
  header: Omit<BundleHeader, 'signingPublicKey'>,
  head: { seq: number; hash: string },
): Uint8Array {
  return utf8.encode(
    [
      'session-vault/audit-export/v1',
      header.format,
      header.vaultId,
      header.exportedAt,
      header.exportedBy,
      head.seq,
      head.hash,
    ].join('|'),
  );
}

/**
 * The signing key's fingerprint, compared out of band (phone, paper) with the one the app shows:
 * the first 16 bytes of BLAKE2b-256("session-vault/signing-key-fingerprint/v1" || publicKey),
 * as 8 groups of 4 hex digits.
 */
export function signingKeyFingerprint(publicKey: Uint8Array): string {
  const digest = toHex(
    hash(utf8.encode('session-vault/signing-key-fingerprint/v1'), publicKey).subarray(0, 16),
  );
  return digest.match(/.{4}/g)!.join(' ');
}

/** The JSON text before the first entry: every header field, in the documented order. */
export function bundleOpening(header: BundleHeader): string {
  const fields = [
    `"format":${JSON.stringify(header.format)}`,
    `"vaultId":${JSON.stringify(header.vaultId)}`,
    `"exportedAt":${header.exportedAt}`,
    `"exportedBy":${JSON.stringify(header.exportedBy)}`,
    `"signingPublicKey":${JSON.stringify(header.signingPublicKey)}`,
  ];
  return `{${fields.join(',')},\n"entries":[`;
}
