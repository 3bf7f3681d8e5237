// Runs `doctor` through the CLI as a person would, capturing what it prints.
import { run } from '../../cli/run';

export async function doctorSays(dataDir: string): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await run(['doctor', dataDir], (line) => lines.push(line));
  return { code, text: lines.join('\n') };
}

/** A stack trace or a raw SQLite error in what a person reads. */
export const STACK_TRACE = /\n\s+at |SqliteError|node_modules|\.ts:\d+/;
