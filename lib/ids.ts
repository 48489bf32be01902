import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

// ulid's default generator asks the OS for one random byte per character (16 calls per id, ~0.1 ms);
// this one takes the same cryptographic bytes from a refilled pool.
// Large enough that the refill (a system call, costly in sandboxes) is rare: 4,096 ids per refill.
const pool = new Uint8Array(65_536);
let next = pool.length;
const prng = (): number => {
  if (next >= pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++] / 256;
};

// Monotonic so ids minted in the same millisecond still sort in creation order (cursor pagination relies on it).
const nextUlid = monotonicFactory(prng);

export const newId = (): string => nextUlid();
export const newWorkspaceId = (): string => `ws_${nextUlid()}`;
