// The rollback anchor kept in a file, for tests that kill a process: the OS keychain outlives the
// app, and so must the anchor a killed core wrote. The bytes are exactly the keychain's (sealed
// with the device's anchor key); each write is durable before it resolves, as the keychain's is.
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { anchorKeyOf, type AnchorRecord } from '../../../electron/core/platform/anchor-record';
import {
  MemoryAnchorStore,
  type AnchorRead,
  type AnchorStore,
} from '../../../electron/core/platform/anchor-store';

export class FileAnchorStore implements AnchorStore {
  private readonly sealed: MemoryAnchorStore;

  constructor(
    private readonly file: string,
    deviceSecret: Uint8Array,
  ) {
    this.sealed = new MemoryAnchorStore((vaultId) => anchorKeyOf(deviceSecret, vaultId));
  }

  async read(vaultId: Uint8Array): Promise<AnchorRead> {
    if (!existsSync(this.file)) await this.sealed.remove(vaultId);
    else this.sealed.putRawBytes(vaultId, new Uint8Array(readFileSync(this.file)));
    return this.sealed.read(vaultId);
  }

  async write(vaultId: Uint8Array, record: AnchorRecord): Promise<void> {
    await this.sealed.write(vaultId, record);
    const bytes = this.sealed.rawBytes(vaultId)!;
    const partial = `${this.file}.partial`;
    const fd = openSync(partial, 'w', 0o600);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, this.file);
  }

  async remove(vaultId: Uint8Array): Promise<boolean> {
    rmSync(this.file, { force: true });
    return this.sealed.remove(vaultId);
  }
}
