// Page-numbered lists (the Studio's tables): the page asked for, kept within the pages there are, and its offset.

export type Paging = { page: number; pageSize: number };

/** One page of a page-numbered list. */
export type NumberedPage<Row> = { rows: Row[]; total: number; page: number; pageCount: number };

/**
 * The page to show of `total` rows: 1 … pageCount (there is always a page 1, even empty; a page past the end shows
 * the last one; anything not a number shows the first), with the offset and count of its rows.
 */
export function offsetPage(total: number, paging: Paging): { page: number; pageCount: number; skip: number; take: number } {
  const pageCount = Math.max(1, Math.ceil(total / paging.pageSize));
  const page = Math.min(Math.max(1, Math.floor(paging.page) || 1), pageCount);
  return { page, pageCount, skip: (page - 1) * paging.pageSize, take: paging.pageSize };
}
