// For unit tests: a budget row as the database returns it, with the fields a test cares about given.
import type { BudgetRow } from './status';

export const budgetRow = (over: Partial<BudgetRow> = {}): BudgetRow => ({
  id: 'b1',
  workspaceId: 'ws',
  scopeKind: 'identity',
  scopeTargetId: 'user_1',
  identityId: 'i1',
  period: 'daily',
  amountMicros: 200_000n,
  tokenLimit: null,
  requestsPerMinute: null,
  isActive: true,
  expiresAt: null,
  alerts: null,
  lastResetAt: null,
  rateTatMs: 0n,
  createdAt: new Date('2025-01-01Z'),
  updatedAt: new Date('2025-01-01Z'),
  ...over,
});
