import { monotonicFactory } from 'ulid';

// Monotonic so ids minted in the same millisecond still sort in creation order (cursor pagination relies on it).
const nextUlid = monotonicFactory();

export const newId = (): string => nextUlid();
export const newWorkspaceId = (): string => `ws_${nextUlid()}`;
