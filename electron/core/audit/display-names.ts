// The names of the people who act in the access log (the therapist and each auditor), for whoever
// holds the audit secret key. An auditor holds it but not MK, which seals the therapist's name, so
// the list is sealed to the audit box public key: a stolen file shows no name. It is also signed
// with the audit signing key, because anyone can seal to a public key: without the signature
// someone with the file alone could put "Therapist" beside an auditor's id. Never a client's name.
import { z } from 'zod';
import type { AuditSecrets } from './audit-format';
import {
  openSealedBox,
  sealToPublicKey,
  sign,
  toHex,
  utf8,
  verifySignature,
  wipe,
} from '../platform/crypto';
import type { SealedFieldStore } from '../platform/sealed-field-store';

const FIELD = 'audit/display-names';
const PURPOSE = 'session-vault/audit-display-names/v1';
const SIGNATURE_BYTES = 64;

const displayNamesSchema = z.strictObject({
  therapist: z.string().max(200).nullable(),
  /** By auditor id; a removed auditor stays, as the log still names them. */
  auditors: z.record(z.string().regex(/^[0-9a-f]{32}$/), z.string().max(200)),
});
export type DisplayNames = z.infer<typeof displayNamesSchema>;

const noNames: DisplayNames = { therapist: null, auditors: {} };

/** What is signed: the purpose and the vault id bind the list to this use in this vault. */
function signedMessage(vaultId: Uint8Array, list: Uint8Array): Uint8Array {
  const prefix = utf8.encode(`${PURPOSE}|${toHex(vaultId)}|`);
  const message = new Uint8Array(prefix.length + list.length);
  message.set(prefix, 0);
  message.set(list, prefix.length);
  return message;
}

export class DisplayNameList {
  constructor(
    private readonly fields: SealedFieldStore,
    private readonly vaultId: Uint8Array,
  ) {}

  /**
   * The list as last written. `damaged`: a list is stored but does not open, is not signed by
   * this vault's audit key, or was made for another vault; the names are then empty.
   */
  read(secrets: AuditSecrets): { names: DisplayNames; damaged: boolean } {
    const sealedBox = this.fields.readSealedBox(FIELD);
    if (sealedBox === null) return { names: noNames, damaged: false };
    const opened = openSealedBox(secrets.box, sealedBox);
    if (!opened || opened.length <= SIGNATURE_BYTES) return { names: noNames, damaged: true };
    try {
      const signature = opened.subarray(0, SIGNATURE_BYTES);
      const list = opened.subarray(SIGNATURE_BYTES);
      const message = signedMessage(this.vaultId, list);
      if (!verifySignature(secrets.signing.publicKey, message, signature))
        return { names: noNames, damaged: true };
      const parsed = displayNamesSchema.safeParse(JSON.parse(utf8.decode(list)));
      return parsed.success
        ? { names: parsed.data, damaged: false }
        : { names: noNames, damaged: true };
    } catch {
      return { names: noNames, damaged: true };
    } finally {
      wipe(opened);
    }
  }

  write(secrets: AuditSecrets, names: DisplayNames, at: number): void {
    const list = utf8.encode(JSON.stringify(displayNamesSchema.parse(names)));
    const signature = sign(secrets.signing.secretKey, signedMessage(this.vaultId, list));
    const plaintext = new Uint8Array(SIGNATURE_BYTES + list.length);
    plaintext.set(signature, 0);
    plaintext.set(list, SIGNATURE_BYTES);
    this.fields.writeSealedBox(FIELD, sealToPublicKey(secrets.box.publicKey, plaintext), at);
    wipe(plaintext);
  }
}
