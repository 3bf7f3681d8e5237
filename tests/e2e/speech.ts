// A real voice for the fake microphone: a few sentences with pauses, spoken by espeak-ng and
// resampled by sox to what Chromium's fake capture reads correctly (48 kHz, 16-bit, mono).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const sentences = [
  'Thank you for coming in today.',
  'Last week we talked about sleep, and the morning walks.',
  'How did the walks go this week?',
  'Some days were easier than others.',
  'On Tuesday I felt calm all afternoon.',
  'Let us write down one small thing to try.',
];

const quiet = { stdio: 'pipe' } as const;

/** Total length of the file, in seconds; the tail is silence. */
export const SPEECH_SECONDS = 25;

/** What Chromium's fake capture reads correctly: 48 kHz, 16-bit signed, mono. */
const MICROPHONE_FORMAT = ['-r', '48000', '-b', '16', '-c', '1', '-e', 'signed-integer'];

/**
 * A WAV file in the temp folder, made on first use by `make(output, work)` in a scratch folder.
 * Safe to call from parallel workers: another may finish first, and a rename over it is atomic.
 */
function cachedWav(name: string, make: (output: string, work: string) => void): string {
  const target = join(tmpdir(), `session-vault-${name}.wav`);
  if (existsSync(target)) return target;
  const work = mkdtempSync(join(tmpdir(), `session-vault-${name}-`));
  try {
    const output = join(work, 'out.wav');
    make(output, work);
    renameSync(output, target);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A muted or unplugged microphone: 30 s of digital silence, in the speech file's format. */
export function ensureSilenceWav(): string {
  return cachedWav('silence-v1', (output) => {
    execFileSync('sox', ['-n', ...MICROPHONE_FORMAT, output, 'trim', '0', '30'], quiet);
  });
}

/** Path of the cached speech file, made on first use. */
export function ensureSpeechWav(): string {
  return cachedWav('speech-v1', (output, work) => {
    const silence = join(work, 'silence.wav');
    execFileSync(
      'sox',
      ['-n', '-r', '22050', '-b', '16', '-c', '1', silence, 'trim', '0', '1.2'],
      quiet,
    );
    const parts: string[] = [];
    sentences.forEach((sentence, index) => {
      const part = join(work, `part-${index}.wav`);
      execFileSync('espeak-ng', ['-v', 'en-gb', '-s', '150', '-w', part, sentence], quiet);
      parts.push(part, silence);
    });
    const joined = join(work, 'joined.wav');
    execFileSync('sox', [...parts, joined], quiet);
    const seconds = String(SPEECH_SECONDS);
    execFileSync(
      'sox',
      [joined, ...MICROPHONE_FORMAT, output, 'pad', '0.5', seconds, 'trim', '0', seconds],
      quiet,
    );
  });
}

/** Speech, then digital silence: the first sentences (7.5 s) and 12.5 s without a sound. */
export function ensureSpeechThenSilenceWav(): string {
  const speech = ensureSpeechWav();
  return cachedWav('speech-then-silence-v1', (output) => {
    execFileSync(
      'sox',
      [speech, ...MICROPHONE_FORMAT, output, 'trim', '0', '7.5', 'pad', '0', '12.5'],
      quiet,
    );
  });
}
