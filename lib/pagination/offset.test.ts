import { describe, expect, it } from 'vitest';
import { offsetPage } from './offset';

describe('offsetPage', () => {
  it('gives the page asked for and its offset', () => {
    expect(offsetPage(95, { page: 3, pageSize: 25 })).toEqual({ page: 3, pageCount: 4, skip: 50, take: 25 });
  });

  it('shows the last page for a page past the end, page 1 of an empty list', () => {
    expect(offsetPage(95, { page: 9, pageSize: 25 })).toEqual({ page: 4, pageCount: 4, skip: 75, take: 25 });
    expect(offsetPage(0, { page: 2, pageSize: 25 })).toEqual({ page: 1, pageCount: 1, skip: 0, take: 25 });
  });

  it('shows the first page for zero, negative, fractional or non-numeric pages', () => {
    expect(offsetPage(95, { page: 0, pageSize: 25 }).page).toBe(1);
    expect(offsetPage(95, { page: -4, pageSize: 25 }).page).toBe(1);
    expect(offsetPage(95, { page: 2.7, pageSize: 25 }).page).toBe(2);
    expect(offsetPage(95, { page: Number.NaN, pageSize: 25 }).page).toBe(1);
  });
});
