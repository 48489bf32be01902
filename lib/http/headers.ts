// Headers the Node listener hands its routes and takes back from them (lib/http/node-bridge.ts), read-only, over a
// plain record: a web Headers object validates and copies every name and value into a sorted list when it is made —
// ~0.02 ms for a request's headers in the server, as much again for an answer's (V8's profiler over sequential
// gateway calls), for the one or two a route reads. Routes read headers (get, has, iteration); nothing in the API
// writes to a request's or an answer's headers once made, and doing so throws here rather than going unseen.

/** Header values as Node parses them: names lower-cased, repeats joined (or an array for set-cookie). */
export type HeaderRecord = Record<string, string | string[] | undefined>;

const joined = (value: string | string[]): string => (Array.isArray(value) ? value.join(', ') : value);

/** A Headers object's values as a record Node's `writeHead` takes (set-cookie as a list, each cookie whole). */
export function headerRecordOf(headers: Headers): HeaderRecord {
  const record: HeaderRecord = {};
  headers.forEach((value, name) => {
    if (name === 'set-cookie') record[name] = headers.getSetCookie();
    else record[name] = value;
  });
  return record;
}

export class ReadonlyHeaders implements Headers {
  /** `record`'s names must be lower case (Node's are; see `fromInit` for any other). */
  constructor(private readonly record: HeaderRecord) {}

  /** Headers given as a Response's init record, in any case. */
  static fromInit(init: HeaderRecord): ReadonlyHeaders {
    const record: HeaderRecord = {};
    for (const name of Object.keys(init)) record[name.toLowerCase()] = init[name];
    return new ReadonlyHeaders(record);
  }

  /** The record's own value for a name (never something it inherits, such as `constructor`). */
  private valueOf(name: string): string | string[] | undefined {
    const key = name.toLowerCase();
    return Object.hasOwn(this.record, key) ? this.record[key] : undefined;
  }

  get(name: string): string | null {
    const value = this.valueOf(name);
    return value === undefined ? null : joined(value);
  }

  has(name: string): boolean {
    return this.valueOf(name) !== undefined;
  }

  getSetCookie(): string[] {
    const value = this.record['set-cookie'];
    return value === undefined ? [] : Array.isArray(value) ? [...value] : [value];
  }

  forEach(callback: (value: string, name: string, parent: Headers) => void, thisArg?: unknown): void {
    for (const [name, value] of this) callback.call(thisArg, value, name, this);
  }

  /** In name order, as a web Headers iterates. */
  *entries(): HeadersIterator<[string, string]> {
    for (const name of Object.keys(this.record).sort()) {
      const value = this.record[name];
      if (value !== undefined) yield [name, joined(value)];
    }
  }

  *keys(): HeadersIterator<string> {
    for (const [name] of this) yield name;
  }

  *values(): HeadersIterator<string> {
    for (const [, value] of this) yield value;
  }

  [Symbol.iterator](): HeadersIterator<[string, string]> {
    return this.entries();
  }

  append(name: string): void {
    throw new TypeError(`These headers are read-only (appending ${name})`);
  }

  set(name: string): void {
    throw new TypeError(`These headers are read-only (setting ${name})`);
  }

  delete(name: string): void {
    throw new TypeError(`These headers are read-only (deleting ${name})`);
  }
}
