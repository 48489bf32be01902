import type { PoolClient } from 'pg';
import { finished } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';

// PostgreSQL's COPY … FROM STDIN (BINARY) for the ingest hot path's plain inserts (events, their keys, window deltas):
// PostgreSQL reads the rows straight into the table — a heap multi-insert, each cell already in its type's binary form
// — instead of parsing the JSON document a multi-row INSERT … SELECT reads (lib/sql-exec.ts pgRows) and converting
// every cell from text. The rows are written into one buffer here, without a text of their own in between.

/** A cell COPY's binary format is not used for here (a type not listed below, a number out of its column's range). */
export class NotCopyable extends Error {}

const COPY_TYPES = ['text', 'integer', 'bigint', 'boolean', 'jsonb', 'json', 'timestamp', 'timestamp(3)'] as const;
/** The column types copyBinary writes. */
export type CopyType = (typeof COPY_TYPES)[number];
export const isCopyType = (type: string): type is CopyType => (COPY_TYPES as readonly string[]).includes(type);

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** 2000-01-01T00:00:00Z, PostgreSQL's epoch: timestamps are microseconds since then. */
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
/** Milliseconds from PG_EPOCH_MS whose microseconds a double holds exactly (±285 years). */
const EXACT_MS = Math.floor(Number.MAX_SAFE_INTEGER / 1000);
const TWO_32 = 2 ** 32;
const INT8_MIN = -(2n ** 63n);
const INT8_END = 2n ** 63n;

class Writer {
  buf: Buffer;
  at = 0;

  /** `size`: the bytes expected (the buffer grows past it when needed). */
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(Math.max(4_096, size));
  }

  ensure(n: number) {
    if (this.at + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.at + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }

  int16(v: number) {
    this.ensure(2);
    this.at = this.buf.writeInt16BE(v, this.at);
  }

  int32(v: number) {
    this.ensure(4);
    this.at = this.buf.writeInt32BE(v, this.at);
  }

  /** A length-prefixed UTF-8 cell (a lone surrogate becomes U+FFFD, as the driver's encoding of parameters does). */
  utf8(s: string, prefix?: number) {
    const extra = prefix === undefined ? 0 : 1;
    this.ensure(4 + extra + s.length * 3);
    const buf = this.buf;
    const start = this.at + 4;
    if (prefix !== undefined) buf[start] = prefix;
    // ASCII (ids, keys, model names) byte by byte: Buffer#write's call cost more than the copy for short strings.
    let i = 0;
    const n = s.length;
    const to = start + extra;
    for (; i < n; i++) {
      const code = s.charCodeAt(i);
      if (code > 0x7f) break;
      buf[to + i] = code;
    }
    const written = i === n ? n : i + buf.write(s.slice(i), to + i, 'utf8');
    buf.writeInt32BE(written + extra, this.at);
    this.at = to + written;
  }

  /** A timestamp cell: microseconds since 2000-01-01 (UTC, as the columns keep time). */
  timestamp(date: Date) {
    const ms = date.getTime() - PG_EPOCH_MS;
    if (Number.isNaN(ms)) throw new NotCopyable();
    this.ensure(12);
    this.at = this.buf.writeInt32BE(8, this.at);
    if (Math.abs(ms) <= EXACT_MS) {
      const us = ms * 1000;
      const high = Math.floor(us / TWO_32);
      this.at = this.buf.writeInt32BE(high, this.at);
      this.at = this.buf.writeUInt32BE(us - high * TWO_32, this.at);
    } else {
      this.at = this.buf.writeBigInt64BE(BigInt(ms) * 1000n, this.at);
    }
  }

  cell(type: CopyType, v: unknown) {
    if (v === null || v === undefined) return this.int32(-1);
    switch (type) {
      case 'text':
        return this.utf8(String(v));
      case 'integer': {
        const n = Number(v);
        if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) throw new NotCopyable();
        this.ensure(8);
        this.at = this.buf.writeInt32BE(4, this.at);
        this.at = this.buf.writeInt32BE(n, this.at);
        return;
      }
      case 'bigint': {
        if (typeof v === 'number' && !Number.isInteger(v)) throw new NotCopyable();
        const n = BigInt(v as bigint | number | string);
        if (n < INT8_MIN || n >= INT8_END) throw new NotCopyable();
        this.ensure(12);
        this.at = this.buf.writeInt32BE(8, this.at);
        this.at = this.buf.writeBigInt64BE(n, this.at);
        return;
      }
      case 'boolean':
        this.ensure(5);
        this.at = this.buf.writeInt32BE(1, this.at);
        this.buf[this.at++] = v ? 1 : 0;
        return;
      case 'jsonb':
        // jsonb's binary form: a version byte (1), then the JSON text.
        return this.utf8(JSON.stringify(v), 1);
      case 'json':
        return this.utf8(JSON.stringify(v));
      default:
        if (!(v instanceof Date)) throw new NotCopyable();
        return this.timestamp(v);
    }
  }
}

/**
 * The rows in COPY's binary format (values in `types` order): a header, each row its cells' count then each cell's
 * length and bytes (null: length -1), a trailer. Throws NotCopyable for a value this format is not used for here.
 */
export function copyBinary(types: readonly CopyType[], rows: readonly (readonly unknown[])[]): Buffer {
  // About what a row of short texts and numbers takes: a 1,000-event batch's events fit at once.
  const w = new Writer(rows.length * (2 + types.length * 16));
  w.ensure(SIGNATURE.length + 8);
  w.at += SIGNATURE.copy(w.buf, 0);
  w.int32(0); // flags: no OIDs
  w.int32(0); // header extension: none
  const width = types.length;
  for (const row of rows) {
    w.int16(width);
    for (let c = 0; c < width; c++) w.cell(types[c], row[c]);
  }
  w.int16(-1);
  return w.buf.subarray(0, w.at);
}

/**
 * `COPY table (columns) FROM STDIN (FORMAT binary)` on `client` with `rows` (values in `columns` order); rejects
 * with PostgreSQL's error, or with NotCopyable before sending anything.
 */
export async function pgCopyIn(client: PoolClient, table: string, columns: readonly { name: string; type: CopyType }[], rows: readonly (readonly unknown[])[]): Promise<void> {
  const data = copyBinary(
    columns.map((c) => c.type),
    rows,
  );
  const stream = client.query(copyFrom(`COPY "${table}" (${columns.map((c) => `"${c.name}"`).join(', ')}) FROM STDIN (FORMAT binary)`));
  stream.end(data);
  await finished(stream);
}
