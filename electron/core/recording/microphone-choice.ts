// Which microphone this laptop records with. Kept in a small file beside the vault, outside it:
// Chromium's device id is salted per browser profile, so it names an input only on this laptop
// and in this app's profile. A vault restored elsewhere must not carry it (there it would name
// nothing), and it says nothing about any client, so it needs no key and no unlock.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deviceIdSchema } from '../../../shared/api';

export class MicrophoneChoice {
  private readonly file: string;
  private deviceId: string | null;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'microphone.json');
    this.deviceId = readChoice(this.file);
  }

  get(): string | null {
    return this.deviceId;
  }

  set(deviceId: string | null): void {
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, JSON.stringify({ deviceId }), { mode: 0o600 });
    // A rename, so a crash leaves the old choice or the new one, never half a file.
    renameSync(temporary, this.file);
    this.deviceId = deviceId;
  }
}

/** The kept choice, or the default when there is none or it is not one (edited by hand). */
function readChoice(file: string): string | null {
  try {
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { deviceId?: unknown };
    const parsed = deviceIdSchema.safeParse(kept.deviceId);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
