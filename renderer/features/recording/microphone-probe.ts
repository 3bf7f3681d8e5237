// The capture window's side of a microphone check: list the audio inputs, or listen to one for a
// few seconds and report its level. Nothing is recorded: no MediaRecorder, and only levels (RMS
// numbers) leave this window.
import {
  MAX_MICROPHONES,
  deviceIdSchema,
  type CaptureApi,
  type Microphone,
  type MicrophoneCheckRequest,
} from '../../../shared/api';
import { failureOf } from './capture-session';
import { startLevelMeter } from './level-meter';

type Capture = CaptureApi['capture'];

/** The inputs Chromium reports, as main's contract takes them. */
export async function listMicrophones(capture: Capture, checkId: string): Promise<void> {
  let microphones: Microphone[] = [];
  try {
    const devices = await navigator.mediaDevices.enumerateDevices();
    microphones = devices
      .filter((device) => device.kind === 'audioinput')
      .filter((device) => deviceIdSchema.safeParse(device.deviceId).success)
      .slice(0, MAX_MICROPHONES)
      .map((device, index) => ({
        deviceId: device.deviceId,
        // Without the microphone permission Chromium gives no names: number them.
        label: (device.label || `Microphone ${index + 1}`).slice(0, 200),
      }));
  } catch {
    microphones = [];
  }
  await capture.microphones({ checkId, microphones });
}

/** Opens the input, reports its level for `durationMs`, and lets it go. */
export async function testMicrophone(
  capture: Capture,
  check: MicrophoneCheckRequest,
): Promise<void> {
  const { checkId, deviceId, durationMs } = check;
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      // The input as it is, without the room processing: a muted one must read as silent.
      audio: {
        ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
        echoCancellation: false,
        noiseSuppression: false,
        autoGainControl: false,
      },
      video: false,
    });
  } catch (error) {
    await capture.failed({ recordingId: checkId, reason: failureOf(error) });
    return;
  }
  let lost = false;
  const ended = new Promise<void>((resolve) => {
    for (const track of stream.getAudioTracks())
      track.addEventListener('ended', () => {
        lost = true;
        resolve();
      });
    setTimeout(resolve, durationMs);
  });
  const meter = startLevelMeter(stream, (rms) => capture.testLevel({ checkId, rms }));
  await ended;
  meter.stop();
  for (const track of stream.getTracks()) track.stop();
  if (lost) await capture.failed({ recordingId: checkId, reason: 'device-lost' });
  else await capture.testDone({ checkId });
}
