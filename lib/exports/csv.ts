import { stringify } from 'csv-stringify/sync';

// CSV downloads: rows written by csv-stringify page by page into a ReadableStream, so a large export never sits in
// memory and the client sees the first rows at once.

/** Cells a spreadsheet would run as a formula (or whose leading tab/CR it would drop) get a leading apostrophe. */
const FORMULA_START = /^[=+\-@\t\r]/;

export const safeCell = (value: string): string => (FORMULA_START.test(value) ? `'${value}` : value);

export type CsvValue = string | number | boolean | Date | null | undefined;

/** One cast for every cell: text made formula-safe, times as ISO 8601 UTC, booleans as true/false. */
const cast = {
  string: (value: string) => safeCell(value),
  date: (value: Date) => value.toISOString(),
  boolean: (value: boolean) => (value ? 'true' : 'false'),
};

/** Integer micro-USD as an exact decimal USD string: 1234567n → "1.234567". */
export function microsToUsdString(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const text = `${abs / 1_000_000n}.${(abs % 1_000_000n).toString().padStart(6, '0')}`;
  return negative ? `-${text}` : text;
}

/** A page source: given the last page's cursor (undefined first), the next rows and the cursor after them (null: done). */
export type PageSource<C> = (cursor: C | undefined) => Promise<{ rows: CsvValue[][]; next: C | null }>;

/** A CSV stream: the header, then each page's rows as the reader pulls them. */
export function csvStream<C>(columns: readonly string[], pages: PageSource<C>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: C | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(stringify([columns as string[]], { cast })));
      }
      const page = await pages(cursor);
      if (page.rows.length > 0) controller.enqueue(encoder.encode(stringify(page.rows, { cast })));
      if (page.next === null) controller.close();
      else cursor = page.next;
    },
  });
}

/** `attachment` with an ASCII filename (and the UTF-8 one for browsers that read filename*). */
export function csvHeaders(filename: string): HeadersInit {
  const ascii = filename.replace(/[^A-Za-z0-9._-]+/g, '_');
  return {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
}
