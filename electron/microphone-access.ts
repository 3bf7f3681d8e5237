// macOS asks the person before an app may use the microphone. Without that answer, getUserMedia
// can still succeed with a silent stream (an Electron bug on macOS), and the app would record
// silence; so main asks first and refuses to start the capture without a yes.
import type { SystemPreferences } from 'electron';

export type MicrophoneAccess = { ok: true } | { ok: false; message: string };

export const microphoneRefusedSentence =
  'macOS has not allowed Session Vault to use the microphone, so nothing is being recorded. Allow it in System Settings › Privacy & Security › Microphone, then start the recording again.';

export async function ensureMicrophoneAccess(
  platform: NodeJS.Platform,
  preferences: Partial<Pick<SystemPreferences, 'getMediaAccessStatus' | 'askForMediaAccess'>>,
): Promise<MicrophoneAccess> {
  if (platform !== 'darwin') return { ok: true };
  const status = preferences.getMediaAccessStatus?.('microphone');
  if (status === 'granted') return { ok: true };
  // macOS shows its prompt only while the answer is not yet given; afterwards this returns it.
  const granted =
    status === 'not-determined' && (await preferences.askForMediaAccess?.('microphone'));
  return granted ? { ok: true } : { ok: false, message: microphoneRefusedSentence };
}
