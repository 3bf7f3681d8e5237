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

/** A muted or unplugged microphone: 30 s of digital silence, in the speech file's format. */
export function ensureSilenceWav(): string {
  const target = join(tmpdir(), 'session-vault-silence-v1.wav');
  if (existsSync(target)) return target;
  const work = mkdtempSync(join(tmpdir(), 'session-vault-silence-'));
  try {
    const output = join(work, 'silence.wav');
    execFileSync(
      'sox',
      [
        '-n',
        '-r',
        '48000',
        '-b',
        '16',
        '-c',
        '1',
        '-e',
        'signed-integer',
        output,
        'trim',
        '0',
        '30',
      ],
      quiet,
    );
    renameSync(output, target);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Path of the cached speech file, made on first use. Safe to call from parallel workers. */
export function ensureSpeechWav(): string {
  const target = join(tmpdir(), 'session-vault-speech-v1.wav');
  if (existsSync(target)) return target;
  const work = mkdtempSync(join(tmpdir(), 'session-vault-speech-'));
  try {
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
    const output = join(work, 'speech.wav');
    execFileSync(
      'sox',
      [
        joined,
        '-r',
        '48000',
        '-b',
        '16',
        '-c',
        '1',
        '-e',
        'signed-integer',
        output,
        'pad',
        '0.5',
        String(SPEECH_SECONDS),
        'trim',
        '0',
        String(SPEECH_SECONDS),
      ],
      quiet,
    );
    // Another worker may have finished first; a rename over it is atomic either way.
    renameSync(output, target);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
