import { describe, expect, test } from 'vitest';
import { parse } from 'csv-parse/sync';
import { csvHeaders, csvStream, microsToUsdString, safeCell } from './csv';

describe('CSV cells', () => {
  test.each(['=1+1', '+1', '-2', '@SUM(A1)', '\tx', '\rx'])('%j starts with an apostrophe', (value) => {
    expect(safeCell(value)).toBe(`'${value}`);
  });
  test.each(['plain', 'a=b', '', '1-2', "'quoted"])('%j is kept', (value) => {
    expect(safeCell(value)).toBe(value);
  });
  test('micro-USD become exact decimals', () => {
    expect([0n, 1n, 12_500n, 1_234_567n, 9_007_199_254_740_993n, -5n].map(microsToUsdString)).toEqual([
      '0.000000',
      '0.000001',
      '0.012500',
      '1.234567',
      '9007199254.740993',
      '-0.000005',
    ]);
  });
  test('headers name a safe attachment', () => {
    expect(csvHeaders('usage-événements "x".csv')).toMatchObject({
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="usage-_v_nements_x_.csv"; filename*=UTF-8''usage-%C3%A9v%C3%A9nements%20%22x%22.csv`,
    });
  });
});

test('a stream writes the header, then every page, quoting and casting each cell once', async () => {
  const pages = [
    [['a', 1, true, new Date('2026-01-02T03:04:05.006Z')], ['=cmd', 2.5, false, null]],
    [['line\nbreak, "quoted"', 0, true, undefined]],
  ];
  const stream = csvStream<number>(['name', 'n', 'ok', 'at'], async (cursor = 0) => ({ rows: pages[cursor], next: cursor + 1 < pages.length ? cursor + 1 : null }));
  const text = await new Response(stream).text();
  expect(parse(text)).toEqual([
    ['name', 'n', 'ok', 'at'],
    ['a', '1', 'true', '2026-01-02T03:04:05.006Z'],
    ["'=cmd", '2.5', 'false', ''],
    ['line\nbreak, "quoted"', '0', 'true', ''],
  ]);
});
