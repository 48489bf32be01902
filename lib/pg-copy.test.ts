import { describe, expect, test } from 'vitest';
import { copyBinary, NotCopyable, type CopyType } from './pg-copy';

/** Reads COPY's binary format back: the rows' cells as buffers (null for NULL). */
function decode(buf: Buffer): (Buffer | null)[][] {
  expect(buf.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
  expect(buf.readInt32BE(11)).toBe(0);
  expect(buf.readInt32BE(15)).toBe(0);
  let at = 19;
  const rows: (Buffer | null)[][] = [];
  for (;;) {
    const width = buf.readInt16BE(at);
    at += 2;
    if (width === -1) break;
    const row: (Buffer | null)[] = [];
    for (let c = 0; c < width; c++) {
      const length = buf.readInt32BE(at);
      at += 4;
      row.push(length === -1 ? null : buf.subarray(at, at + length));
      if (length > 0) at += length;
    }
    rows.push(row);
  }
  expect(at).toBe(buf.length);
  return rows;
}

/** Microseconds since 2000-01-01 of a timestamp cell. */
const micros = (cell: Buffer | null) => (cell as Buffer).readBigInt64BE(0);

describe('copyBinary (COPY … FROM STDIN (FORMAT binary))', () => {
  test('each type in its binary form; null and undefined as NULL', () => {
    const types: CopyType[] = ['text', 'integer', 'bigint', 'boolean', 'jsonb', 'json', 'text', 'integer'];
    const [row, second] = decode(copyBinary(types, [['id-1', -42, 12345678901234567n, true, { k: 'v', n: [1, 2] }, [1], null, undefined], ['', 0, 7, false, 'str', null, 'x', 2147483647]]));
    expect(row[0]?.toString('utf8')).toBe('id-1');
    expect(row[1]?.readInt32BE(0)).toBe(-42);
    expect(row[2]?.readBigInt64BE(0)).toBe(12345678901234567n);
    expect([...(row[3] as Buffer)]).toEqual([1]);
    expect(row[4]?.[0]).toBe(1); // jsonb's version byte
    expect(row[4]?.subarray(1).toString('utf8')).toBe('{"k":"v","n":[1,2]}');
    expect(row[5]?.toString('utf8')).toBe('[1]');
    expect(row.slice(6)).toEqual([null, null]);
    expect(second[0]?.length).toBe(0);
    expect(second[2]?.readBigInt64BE(0)).toBe(7n);
    expect([...(second[3] as Buffer)]).toEqual([0]);
    expect(second[4]?.subarray(1).toString('utf8')).toBe('"str"');
    expect(second[7]?.readInt32BE(0)).toBe(2147483647);
  });

  test('text as UTF-8 as it is (tabs, backslashes, newlines need no escape); a lone surrogate as U+FFFD', () => {
    const [row] = decode(copyBinary(['text', 'text', 'text'], [['模型 🚀', 'tab\there\\N\nline', 'lone \ud800']]));
    expect(row.map((c) => c?.toString('utf8'))).toEqual(['模型 🚀', 'tab\there\\N\nline', 'lone \ufffd']);
  });

  test('timestamps as microseconds since 2000-01-01 UTC, exact near and far from it', () => {
    const dates = ['2000-01-01T00:00:00.000Z', '2026-11-27T02:03:04.005Z', '1969-12-31T23:59:59.999Z', '0000-06-15T08:09:10.011Z', '9999-12-31T23:59:59.999Z', '1600-02-29T12:00:00.001Z'];
    const rows = decode(copyBinary(['timestamp(3)'], dates.map((d) => [new Date(d)])));
    expect(rows.map(([cell]) => micros(cell))).toEqual(dates.map((d) => BigInt(new Date(d).getTime() - Date.UTC(2000, 0, 1)) * 1000n));
  });

  test('a value its column cannot take in this form is refused before anything is sent (the caller inserts it another way)', () => {
    expect(() => copyBinary(['integer'], [[2 ** 31]])).toThrow(NotCopyable);
    expect(() => copyBinary(['integer'], [[1.5]])).toThrow(NotCopyable);
    expect(() => copyBinary(['bigint'], [[2n ** 63n]])).toThrow(NotCopyable);
    expect(() => copyBinary(['timestamp(3)'], [[new Date(Number.NaN)]])).toThrow(NotCopyable);
    expect(() => copyBinary(['timestamp(3)'], [['2026-01-01']])).toThrow(NotCopyable);
  });

  test('many rows grow the buffer', () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => [`event-${i}-${'x'.repeat(40)}`, i]);
    const decoded = decode(copyBinary(['text', 'integer'], rows));
    expect(decoded).toHaveLength(5_000);
    expect(decoded[4_999][0]?.toString('utf8')).toBe(`event-4999-${'x'.repeat(40)}`);
    expect(decoded[4_999][1]?.readInt32BE(0)).toBe(4_999);
  });
});
