// Reads a bundle file under the JSON profile docs/audit-bundle.md fixes: UTF-8 without a BOM,
// no duplicate keys, integers written plainly, and limits on size, depth, keys, array length and
// string length. JSON.parse can enforce none of these (it keeps the last of two equal keys, reads
// 7.0000000000000001 as 7, and builds whatever it is given before anyone can look), so this small
// parser reads the text itself and stops at the first thing outside the profile.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { quoted } from './terminal';

export const LIMITS = {
  /** About two million entries; V8 cannot hold a string much longer than 512 MiB anyway. */
  maxBytes: 500_000_000,
  /** A bundle nests three levels (bundle, entries, entry); the margin costs nothing. */
  maxDepth: 8,
  maxArrayLength: 2_000_000,
  /** An entry has ten keys, the bundle ten. */
  maxObjectKeys: 64,
  /** The longest string the app writes is a short reason; this leaves a wide margin. */
  maxStringChars: 65_536,
};

export type Limits = typeof LIMITS;

/** The file cannot be read as a bundle document: the CLI's "unreadable" exit code. */
export class Unreadable extends Error {}

export interface BundleText {
  value: unknown;
  /** The exact text of each element of the top-level `entries` array, when there is one. */
  entryTexts: string[] | null;
}

const INTEGER = /-?(?:0|[1-9][0-9]*)/y;
const NUMBER_TAIL = /(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

class Parser {
  private at = 0;
  entryTexts: string[] | null = null;

  constructor(
    private readonly text: string,
    private readonly limits: Limits,
  ) {}

  private fail(why: string): never {
    throw new Unreadable(`The file is not JSON this tool reads: ${why} (at character ${this.at}).`);
  }

  private space(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.at);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.at += 1;
      else return;
    }
  }

  document(): unknown {
    this.space();
    const value = this.value(0, false);
    this.space();
    if (this.at < this.text.length) this.fail('there is more after the document');
    return value;
  }

  private value(depth: number, recordElements: boolean): unknown {
    const c = this.text[this.at];
    if (c === '{' || c === '[') {
      if (depth + 1 > this.limits.maxDepth)
        this.fail(`it nests deeper than ${this.limits.maxDepth} levels`);
      return c === '{' ? this.object(depth + 1) : this.array(depth + 1, recordElements);
    }
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const)
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return value;
      }
    if (c === undefined) this.fail('it ends too early');
    return this.fail(`unexpected ${quoted(this.text.slice(this.at, this.at + 12))}`);
  }

  private object(depth: number): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    const keys = new Set<string>();
    this.at += 1;
    this.space();
    if (this.text[this.at] === '}') {
      this.at += 1;
      return object;
    }
    for (;;) {
      if (this.text[this.at] !== '"') this.fail('a key is not a string');
      const key = this.string();
      if (keys.has(key)) this.fail(`the key ${quoted(key)} appears twice in one object`);
      keys.add(key);
      if (keys.size > this.limits.maxObjectKeys)
        this.fail(`an object has more than ${this.limits.maxObjectKeys} keys`);
      this.space();
      if (this.text[this.at] !== ':') this.fail('a key is not followed by ":"');
      this.at += 1;
      this.space();
      const value = this.value(depth, depth === 1 && key === 'entries');
      // Defined, not assigned: a key "__proto__" is a key like any other, never a prototype.
      Object.defineProperty(object, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.space();
      const next = this.text[this.at];
      this.at += 1;
      if (next === '}') return object;
      if (next !== ',') this.fail('an object is not closed');
      this.space();
    }
  }

  private array(depth: number, recordElements: boolean): unknown[] {
    const array: unknown[] = [];
    const texts: string[] | null = recordElements ? [] : null;
    if (recordElements) this.entryTexts = texts;
    this.at += 1;
    this.space();
    if (this.text[this.at] === ']') {
      this.at += 1;
      return array;
    }
    for (;;) {
      if (array.length >= this.limits.maxArrayLength)
        this.fail(`an array has more than ${this.limits.maxArrayLength} elements`);
      const start = this.at;
      array.push(this.value(depth, false));
      texts?.push(this.text.slice(start, this.at));
      this.space();
      const next = this.text[this.at];
      this.at += 1;
      if (next === ']') return array;
      if (next !== ',') this.fail('an array is not closed');
      this.space();
    }
  }

  private string(): string {
    const { text } = this;
    const max = this.limits.maxStringChars;
    let out = '';
    this.at += 1;
    let start = this.at;
    for (;;) {
      const c = text.charCodeAt(this.at);
      if (this.at - start + out.length > max)
        this.fail(`a string is longer than ${max} characters`);
      if (c === 0x22) {
        out += text.slice(start, this.at);
        this.at += 1;
        return out;
      }
      if (c === 0x5c) {
        out += text.slice(start, this.at);
        const kind = text[this.at + 1];
        if (kind === 'u') {
          const hex = text.slice(this.at + 2, this.at + 6);
          if (!HEX4.test(hex)) this.fail('a \\u escape is not four hex digits');
          out += String.fromCharCode(parseInt(hex, 16));
          this.at += 6;
        } else {
          const escaped = kind === undefined ? undefined : ESCAPES[kind];
          if (escaped === undefined) this.fail('a string holds an unknown escape');
          out += escaped;
          this.at += 2;
        }
        start = this.at;
        continue;
      }
      if (Number.isNaN(c)) this.fail('a string is not closed');
      if (c < 0x20) this.fail('a string holds a raw control character');
      this.at += 1;
    }
  }

  private number(): number {
    INTEGER.lastIndex = this.at;
    const integer = INTEGER.exec(this.text);
    if (!integer) this.fail('a number is malformed');
    NUMBER_TAIL.lastIndex = this.at + integer[0].length;
    const tail = NUMBER_TAIL.exec(this.text)![0];
    const written = integer[0] + tail;
    const next = this.text[this.at + written.length];
    if (next !== undefined && /[0-9.eE+-]/.test(next)) this.fail('a number is malformed');
    if (tail !== '') this.fail(`the number ${quoted(written)} is not an integer written plainly`);
    if (written === '-0') this.fail('the number -0 is not allowed');
    const value = Number(written);
    if (!Number.isSafeInteger(value))
      this.fail(`the number ${quoted(written)} is beyond the safe integers (2^53 - 1)`);
    this.at += written.length;
    return value;
  }
}

/** Parses text under the profile; throws Unreadable with one sentence. */
export function parseBundleText(text: string, limits: Limits = LIMITS): BundleText {
  const parser = new Parser(text, limits);
  const value = parser.document();
  return { value, entryTexts: parser.entryTexts };
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes bytes as UTF-8 (no BOM) and parses them under the profile. */
export function parseBundleBytes(bytes: Uint8Array, limits: Limits = LIMITS): BundleText {
  if (bytes.length > limits.maxBytes)
    throw new Unreadable(
      `The file is larger than ${limits.maxBytes} bytes, the most this tool reads.`,
    );
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new Unreadable('The file is not UTF-8 text.');
  }
  if (text.startsWith('\ufeff')) throw new Unreadable('The file starts with a byte-order mark.');
  return parseBundleText(text, limits);
}

/** Reads a file no larger than the limit (measured before reading) and parses it. */
export function readBundleFile(path: string, limits: Limits = LIMITS): BundleText {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new Unreadable(
      `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`,
    );
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Unreadable(`${path} is not a file.`);
    if (stat.size > limits.maxBytes)
      throw new Unreadable(
        `${path} is ${stat.size} bytes; this tool reads bundles of at most ${limits.maxBytes} bytes.`,
      );
    // One byte more than the limit, so a file that grew since the stat is still caught.
    const bytes = Buffer.allocUnsafe(stat.size + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, bytes, length, bytes.length - length, null);
      if (read === 0) break;
      length += read;
      if (length === bytes.length) break;
    }
    if (length > stat.size)
      throw new Unreadable(`${path} changed while it was read: try again once it is complete.`);
    return parseBundleBytes(bytes.subarray(0, length), limits);
  } finally {
    closeSync(fd);
  }
}
