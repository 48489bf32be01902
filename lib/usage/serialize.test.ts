import { describe, expect, it } from 'vitest';
import { ingestResponseSchema } from './schema';
import { serializeIngestResults } from './serialize';

describe('serializeIngestResults answers what ingestResponseSchema declares', () => {
  it('counts created and duplicate events; cost in USD, absent when unpriced', () => {
    const out = serializeIngestResults([
      { eventId: 'e1', id: 'u1', identityId: 'i1', externalId: 'x1', status: 'created', costMicros: 12_500n, priced: true },
      { eventId: 'e2', id: 'u2', identityId: 'i1', externalId: 'x1', status: 'duplicate', costMicros: null, priced: false },
    ]);
    // A schema strips keys it does not know: parsing back to the same object means no undeclared field.
    expect(ingestResponseSchema.parse(out)).toEqual(out);
    expect(out).toMatchObject({ object: 'usage.ingest', accepted: 1, duplicates: 1 });
    expect(out.data[0].cost).toBe(0.0125);
    expect(out.data[1]).not.toHaveProperty('cost');
  });
});
