/**
 * A strict JSON scanner that reports where each top-level member's value sits in the text,
 * so a signature can be checked over the raw bytes as received instead of a re-serialization.
 * It validates the whole grammar (RFC 8259), refuses duplicate keys at any depth (two parsers
 * could otherwise read different values from one signed text) and anything after the value.
 */
export interface MemberSpan {
  /** Decoded key. */
  readonly key: string;
  /** Index of the first character of the value. */
  readonly start: number;
  /** Index just past the last character of the value. */
  readonly end: number;
}

export class JsonScanError extends Error {
  override readonly name = 'JsonScanError';
  readonly duplicate: boolean;

  constructor(message: string, duplicate = false) {
    super(message);
    this.duplicate = duplicate;
  }
}

const MAX_DEPTH = 64;

/** Scans `text` as one JSON object and returns its top-level members in order. */
export function scanTopLevelMembers(text: string): MemberSpan[] {
  const scanner = new Scanner(text);
  const members: MemberSpan[] = [];
  scanner.skipWs();
  if (text.charCodeAt(scanner.pos) !== 0x7b /* { */) scanner.fail('expected a JSON object');
  scanner.object(0, members);
  scanner.skipWs();
  if (scanner.pos !== text.length) scanner.fail('unexpected text after the JSON value');
  return members;
}

class Scanner {
  pos = 0;
  constructor(private readonly text: string) {}

  fail(message: string, duplicate = false): never {
    throw new JsonScanError(`${message} at offset ${this.pos}`, duplicate);
  }

  skipWs(): void {
    const t = this.text;
    let c = t.charCodeAt(this.pos);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = t.charCodeAt(++this.pos);
  }

  value(depth: number): void {
    if (depth > MAX_DEPTH) this.fail('JSON nested too deeply');
    const c = this.text.charCodeAt(this.pos);
    if (c === 0x7b) this.object(depth + 1);
    else if (c === 0x5b) this.array(depth + 1);
    else if (c === 0x22) this.string();
    else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) this.number();
    else if (this.text.startsWith('true', this.pos)) this.pos += 4;
    else if (this.text.startsWith('false', this.pos)) this.pos += 5;
    else if (this.text.startsWith('null', this.pos)) this.pos += 4;
    else this.fail('unexpected character');
  }

  object(depth: number, spans?: MemberSpan[]): void {
    this.pos++; // {
    this.skipWs();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return;
    }
    const seen = new Set<string>();
    for (;;) {
      if (this.text.charCodeAt(this.pos) !== 0x22) this.fail('expected a member name');
      const key = this.string();
      if (seen.has(key)) this.fail(`duplicate member "${key}"`, true);
      seen.add(key);
      this.skipWs();
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail('expected ":"');
      this.pos++;
      this.skipWs();
      const start = this.pos;
      this.value(depth);
      spans?.push({ key, start, end: this.pos });
      this.skipWs();
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x7d) {
        this.pos++;
        return;
      }
      if (c !== 0x2c) this.fail('expected "," or "}"');
      this.pos++;
      this.skipWs();
    }
  }

  array(depth: number): void {
    this.pos++; // [
    this.skipWs();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return;
    }
    for (;;) {
      this.value(depth);
      this.skipWs();
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x5d) {
        this.pos++;
        return;
      }
      if (c !== 0x2c) this.fail('expected "," or "]"');
      this.pos++;
      this.skipWs();
    }
  }

  /** Scans a string and returns its decoded value. */
  string(): string {
    const t = this.text;
    const start = ++this.pos;
    let escaped = false;
    for (;;) {
      const c = t.charCodeAt(this.pos);
      if (Number.isNaN(c)) this.fail('unterminated string');
      if (c === 0x22) break;
      if (c < 0x20) this.fail('control character in string');
      if (c === 0x5c) {
        escaped = true;
        const e = t.charCodeAt(this.pos + 1);
        if (e === 0x75 /* u */) {
          if (!/^[0-9a-fA-F]{4}$/.test(t.slice(this.pos + 2, this.pos + 6)))
            this.fail('bad \\u escape');
          this.pos += 6;
          continue;
        }
        // " \ / b f n r t
        if (![0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74].includes(e)) this.fail('bad escape');
        this.pos += 2;
        continue;
      }
      this.pos++;
    }
    const raw = t.slice(start, this.pos);
    this.pos++; // closing quote
    return escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
  }

  number(): void {
    const match = NUMBER.exec(this.text.slice(this.pos, this.pos + 400));
    if (!match) this.fail('bad number');
    this.pos += match[0].length;
  }
}

const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/;
