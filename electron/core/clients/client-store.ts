// Clients: an opaque id in the clear, everything else sealed with the client's own key (CK).
// CK is wrapped by the master key (therapist) and by the client's PIN mixed with the device
// secret (client review). Recording keys are wrapped by CK.
import type { Database } from 'better-sqlite3';
import { VaultError } from '../../../shared/errors';
import {
  deriveKek,
  newKdfParams,
  newKey,
  newSigningKeyPair,
  open,
  seal,
  toHex,
  utf8,
  wipe,
} from '../platform/crypto';
import type { KeyStore } from '../vault/key-store';
import { newOpaqueId } from '../platform/ids';
import {
  KEY_IDS,
  clientCredentialSecret,
  unwrapWithSecret,
  wrapWithSecret,
  type KdfCost,
} from '../vault/key-store';

export interface ClientProfile {
  displayName: string;
  participants: { participantId: string; displayName: string }[];
}

function profileAssociatedData(vaultId: Uint8Array, clientId: string): Uint8Array {
  return utf8.encode(`session-vault/client-profile/v1|${toHex(vaultId)}|${clientId}`);
}

function takeawayAssociatedData(vaultId: Uint8Array, takeawayId: string): Uint8Array {
  return utf8.encode(`session-vault/takeaway/v1|${toHex(vaultId)}|${takeawayId}`);
}

export class ClientStore {
  constructor(
    private readonly db: Database,
    private readonly vaultId: Uint8Array,
    private readonly keys: KeyStore,
    private readonly now: () => number,
    private readonly cost: KdfCost,
  ) {}

  /** Creates a client and returns its id and key; the caller wipes the key when done. */
  create(
    masterKey: Uint8Array,
    profile: ClientProfile,
  ): { clientId: string; clientKey: Uint8Array } {
    const clientId = newOpaqueId();
    const clientKey = newKey();
    const stateKey = newSigningKeyPair();
    this.db.transaction(() => {
      const sealed = seal(
        clientKey,
        utf8.encode(JSON.stringify(profile)),
        profileAssociatedData(this.vaultId, clientId),
      );
      this.db
        .prepare(
          'INSERT INTO clients (client_id, created_at, profile_nonce, profile, state_public_key) VALUES (?, ?, ?, ?, ?)',
        )
        .run(clientId, this.now(), sealed.nonce, sealed.ciphertext, stateKey.publicKey);
      this.keys.put(KEY_IDS.clientByMasterKey(clientId), masterKey, clientKey);
      this.keys.put(KEY_IDS.clientStateKey(clientId), clientKey, stateKey.secretKey);
    })();
    wipe(stateKey.secretKey);
    return { clientId, clientKey };
  }

  writeProfile(clientId: string, clientKey: Uint8Array, profile: ClientProfile): void {
    const sealed = seal(
      clientKey,
      utf8.encode(JSON.stringify(profile)),
      profileAssociatedData(this.vaultId, clientId),
    );
    this.db
      .prepare('UPDATE clients SET profile_nonce = ?, profile = ? WHERE client_id = ?')
      .run(sealed.nonce, sealed.ciphertext, clientId);
  }

  /** A written takeaway: made together at the end of a session, sealed with the client's key. */
  addTakeaway(
    clientId: string,
    clientKey: Uint8Array,
    recordingId: string | null,
    text: string,
  ): string {
    const takeawayId = newOpaqueId();
    const sealed = seal(
      clientKey,
      utf8.encode(text),
      takeawayAssociatedData(this.vaultId, takeawayId),
    );
    this.db
      .prepare(
        'INSERT INTO takeaways (takeaway_id, client_id, recording_id, written_at, nonce, sealed_text) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(takeawayId, clientId, recordingId, this.now(), sealed.nonce, sealed.ciphertext);
    return takeawayId;
  }

  takeaways(
    clientId: string,
    clientKey: Uint8Array,
  ): { takeawayId: string; writtenAt: number; recordingId: string | null; text: string }[] {
    const rows = this.db
      .prepare(
        'SELECT takeaway_id, recording_id, written_at, nonce, sealed_text FROM takeaways WHERE client_id = ? ORDER BY written_at',
      )
      .all(clientId) as {
      takeaway_id: string;
      recording_id: string | null;
      written_at: number;
      nonce: Buffer;
      sealed_text: Buffer;
    }[];
    return rows.map((row) => {
      const text = open(
        clientKey,
        { nonce: new Uint8Array(row.nonce), ciphertext: new Uint8Array(row.sealed_text) },
        takeawayAssociatedData(this.vaultId, row.takeaway_id),
      );
      if (!text) throw new VaultError('VAULT_DAMAGED');
      return {
        takeawayId: row.takeaway_id,
        writtenAt: row.written_at,
        recordingId: row.recording_id,
        text: utf8.decode(text),
      };
    });
  }

  isArchived(clientId: string): boolean {
    const row = this.db
      .prepare('SELECT archived_at FROM clients WHERE client_id = ?')
      .get(clientId) as {
      archived_at: number | null;
    };
    return row.archived_at !== null;
  }

  setArchived(clientId: string, archivedAt: number | null): void {
    this.db
      .prepare('UPDATE clients SET archived_at = ? WHERE client_id = ?')
      .run(archivedAt, clientId);
  }

  /** The client state key's public half (null for a client added before migration 40). */
  statePublicKey(clientId: string): Uint8Array | null {
    const row = this.db
      .prepare('SELECT state_public_key FROM clients WHERE client_id = ?')
      .get(clientId) as { state_public_key: Buffer | null } | undefined;
    return row?.state_public_key ? new Uint8Array(row.state_public_key) : null;
  }

  setStatePublicKey(clientId: string, publicKey: Uint8Array): void {
    this.db
      .prepare('UPDATE clients SET state_public_key = ? WHERE client_id = ?')
      .run(publicKey, clientId);
  }

  exists(clientId: string): boolean {
    return this.db.prepare('SELECT 1 FROM clients WHERE client_id = ?').get(clientId) !== undefined;
  }

  ids(): string[] {
    return (
      this.db.prepare('SELECT client_id FROM clients ORDER BY created_at').all() as {
        client_id: string;
      }[]
    ).map((row) => row.client_id);
  }

  keyForTherapist(clientId: string, masterKey: Uint8Array): Uint8Array {
    if (!this.exists(clientId)) throw new VaultError('NOT_FOUND');
    return this.keys.take(
      KEY_IDS.clientByMasterKey(clientId),
      masterKey,
      new VaultError('VAULT_DAMAGED'),
    );
  }

  /**
   * Many clients' keys for the therapist in one query (the library), as copies the caller wipes. A
   * client whose key is missing or does not open is left out.
   */
  keysForTherapist(clientIds: readonly string[], masterKey: Uint8Array): Map<string, Uint8Array> {
    const clientOf = new Map(clientIds.map((id) => [KEY_IDS.clientByMasterKey(id), id]));
    const keys = new Map<string, Uint8Array>();
    this.keys.takeEach(
      [...clientOf.keys()],
      () => masterKey,
      (keyId, key) => keys.set(clientOf.get(keyId)!, key.slice()),
    );
    return keys;
  }

  /** Sets or changes the client's PIN: rewraps CK under the new credential, nothing else. */
  setCredential(
    clientId: string,
    clientKey: Uint8Array,
    pin: string,
    deviceSecret: Uint8Array,
  ): void {
    const secret = clientCredentialSecret(deviceSecret, pin);
    try {
      wrapWithSecret(this.keys, KEY_IDS.clientByCredential(clientId), secret, clientKey, this.cost);
    } finally {
      wipe(secret);
    }
  }

  /** The client's own way in. Wrong PIN and wrong device secret look the same: WRONG_PIN. */
  keyForClient(clientId: string, pin: string, deviceSecret: Uint8Array): Uint8Array {
    const secret = clientCredentialSecret(deviceSecret, pin);
    try {
      if (!this.keys.has(KEY_IDS.clientByCredential(clientId))) {
        // Same work as a real try, so an unknown client is not answered faster.
        wipe(deriveKek(secret, newKdfParams(this.cost)));
        throw new VaultError('WRONG_PIN');
      }
      return unwrapWithSecret(
        this.keys,
        KEY_IDS.clientByCredential(clientId),
        secret,
        new VaultError('WRONG_PIN'),
      );
    } finally {
      wipe(secret);
    }
  }

  profile(clientId: string, clientKey: Uint8Array): ClientProfile {
    const row = this.db
      .prepare('SELECT profile_nonce, profile FROM clients WHERE client_id = ?')
      .get(clientId) as { profile_nonce: Buffer; profile: Buffer } | undefined;
    if (!row) throw new VaultError('NOT_FOUND');
    const text = open(
      clientKey,
      { nonce: new Uint8Array(row.profile_nonce), ciphertext: new Uint8Array(row.profile) },
      profileAssociatedData(this.vaultId, clientId),
    );
    if (!text) throw new VaultError('VAULT_DAMAGED');
    return JSON.parse(utf8.decode(text)) as ClientProfile;
  }

  /** A new key for one recording, wrapped by the client's key. */
  newRecordingKey(recordingId: string, clientKey: Uint8Array): Uint8Array {
    const recordingKey = newKey();
    this.keys.put(KEY_IDS.recording(recordingId), clientKey, recordingKey);
    return recordingKey;
  }

  recordingKey(recordingId: string, clientKey: Uint8Array): Uint8Array {
    if (!this.keys.has(KEY_IDS.recording(recordingId))) throw new VaultError('RECORDING_DESTROYED');
    return this.keys.take(
      KEY_IDS.recording(recordingId),
      clientKey,
      new VaultError('VAULT_DAMAGED'),
    );
  }

  /**
   * Many recording keys unwrapped together (the library's titles), each wiped after `use`. A
   * recording whose key is gone, or does not open under `clientKeyOf`'s key, is left out.
   */
  eachRecordingKey(
    recordingIds: readonly string[],
    clientKeyOf: (recordingId: string) => Uint8Array | null,
    use: (recordingId: string, recordingKey: Uint8Array) => void,
  ): void {
    const recordingOf = new Map(recordingIds.map((id) => [KEY_IDS.recording(id), id]));
    this.keys.takeEach(
      [...recordingOf.keys()],
      (keyId) => clientKeyOf(recordingOf.get(keyId)!),
      (keyId, key) => use(recordingOf.get(keyId)!, key),
    );
  }

  /** Crypto-shredding: without this key the recording's ciphertext is noise. */
  deleteRecordingKey(recordingId: string): void {
    this.keys.delete(KEY_IDS.recording(recordingId));
  }
}
