import { describe, expect, test } from 'vitest';
import { packResults, unpackResults } from './ingest-worker-client';
import type { IngestResult } from './service';

describe('a batch\'s results between the ingest worker and the main thread', () => {
  test('arrive as they were written: every field, duplicates, events without a cost, costs past 2^53', () => {
    const results: IngestResult[] = [
      { eventId: 'e-1', id: '01A', identityId: '01I', externalId: 'user-1', status: 'created', costMicros: 12_345n, priced: true },
      { eventId: 'e-2', id: '01B', identityId: '01I', externalId: 'user-1', status: 'duplicate', costMicros: null, priced: false },
      { eventId: 'e-3', id: '01C', identityId: '01J', externalId: 'user-2', status: 'created', costMicros: 0n, priced: true },
      { eventId: 'e-4', id: '01D', identityId: '01J', externalId: 'user-2', status: 'created', costMicros: 9_007_199_254_740_993n, priced: false },
    ];
    // As postMessage copies it.
    expect(unpackResults(structuredClone(packResults(results)))).toEqual(results);
    expect(unpackResults(packResults([]))).toEqual([]);
  });
});
