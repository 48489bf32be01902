// Human words for a budget's scope, shared by error messages and the Studio.
import type { BudgetRow } from '../workspaces/config';

export function scopeLabel(budget: Pick<BudgetRow, 'scopeKind' | 'scopeTargetId'>): string {
  switch (budget.scopeKind) {
    case 'identity':
      return `identity "${budget.scopeTargetId}"`;
    case 'workspace':
      return 'workspace';
    case 'api_key':
      return `API key ${budget.scopeTargetId}`;
    case 'provider':
      return `provider "${budget.scopeTargetId}"`;
    case 'model':
      return `model "${budget.scopeTargetId}"`;
    default:
      return budget.scopeKind;
  }
}
