// What the tool prints may quote a hostile file (a key, a value, a path, a parser's excerpt): a
// terminal obeys escape sequences, and bidi controls make text read differently than it is. Every
// line goes through terminalSafe before it is written.

/** C0 and C1 controls (ESC, CSI, BEL...), DEL, and the Unicode controls that reorder or hide text. */
const UNSAFE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb]/g;

/** Lone surrogates cannot be shown; a terminal decoding them prints replacement garbage. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** One printed line at most this long: a hostile file cannot flood the terminal. */
export const MAX_LINE_CHARS = 4000;

// Written as a JSON escape, so a --json report stays valid JSON and means the same text.
const codePoint = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** The text with every unsafe character written as \uxxxx, and cut short when very long. */
export function terminalSafe(text: string, maxChars = MAX_LINE_CHARS): string {
  const cut =
    text.length > maxChars
      ? `${text.slice(0, maxChars)}... (${text.length - maxChars} more characters)`
      : text;
  return cut.replace(UNSAFE, codePoint).replace(LONE_SURROGATE, codePoint);
}

/** A value quoted from a file inside a sentence: short, and safe to print. */
export function quoted(value: unknown, maxChars = 60): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
  } catch {
    text = typeof value;
  }
  return terminalSafe(text, maxChars);
}
