import { describe, expect, test } from 'vitest';
import { DEFAULT_LIST_PARAMS, listHref, parseListParams, sortHref } from './list-params';

describe('parseListParams', () => {
  test('defaults', () => {
    expect(parseListParams({})).toEqual(DEFAULT_LIST_PARAMS);
  });

  test('reads every field and ignores junk', () => {
    expect(parseListParams({ q: ' acme ', tag: ['a', 'b', 'a'], sort: 'cost', order: 'asc', page: '3', size: '50' })).toEqual({
      q: 'acme',
      tags: ['a', 'b'],
      sort: 'cost',
      order: 'asc',
      page: 3,
      size: 50,
    });
    expect(parseListParams({ sort: 'drop table', order: 'sideways', page: '-2', size: '7' })).toEqual(DEFAULT_LIST_PARAMS);
  });

  test('order defaults to the column’s natural direction', () => {
    expect(parseListParams({ sort: 'name' }).order).toBe('asc');
    expect(parseListParams({ sort: 'tokens' }).order).toBe('desc');
  });
});

describe('listHref', () => {
  test('omits defaults and round-trips', () => {
    expect(listHref(DEFAULT_LIST_PARAMS)).toBe('/identities');
    const href = listHref(DEFAULT_LIST_PARAMS, { q: 'a b', tags: ['x'], sort: 'cost', page: 2 });
    expect(href).toBe('/identities?q=a+b&tag=x&sort=cost&page=2');
    const parsed = parseListParams(Object.fromEntries(new URL(href, 'http://h').searchParams));
    expect(parsed).toMatchObject({ q: 'a b', sort: 'cost', order: 'desc', page: 2 });
  });

  test('sortHref toggles the current column and resets the page', () => {
    const p = { ...DEFAULT_LIST_PARAMS, sort: 'cost' as const, order: 'desc' as const, page: 4 };
    expect(sortHref(p, 'cost')).toBe('/identities?sort=cost&order=asc');
    expect(sortHref(p, 'name')).toBe('/identities?sort=name');
  });
});
