// Checks every JSON body before its schema sees it: bounded depth, no `__proto__` keys (which plain objects
// drop silently), strings and keys that the databases can store (no unpaired surrogate, no NUL).
import type { ErrorDetail } from './errors';

/** The deepest nesting a request body may have (metadata has its own, lower limit). */
export const MAX_BODY_DEPTH = 64;
/** The longest field name a detail spells out; deeper paths end with `…`. */
const SHOWN_PATH_SEGMENTS = 12;

const fieldOf = (path: readonly (string | number)[]): string => {
  if (path.length === 0) return '(body)';
  const shown = path.slice(0, SHOWN_PATH_SEGMENTS).map(String).join('.');
  return path.length > SHOWN_PATH_SEGMENTS ? `${shown}.…` : shown;
};

/** What is wrong with a string a database would refuse or mangle, if anything. */
export function unstorableStringIssue(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain NUL (\\u0000) characters';
  if (!value.isWellFormed()) return 'must be valid Unicode (it has an unpaired surrogate such as \\ud800)';
  return null;
}

/** A value still to check: its key in its parent (whose frame is `parent`), and how deep it is. */
type Frame = { value: unknown; parent: Frame | null; key: string | number; depth: number };

/** Strings and containers are checked; numbers, booleans and null need nothing. */
const needsCheck = (value: unknown): boolean => typeof value === 'string' || (typeof value === 'object' && value !== null);

/** A frame's path from the root (built only for a problem: a body of a thousand events has some ten thousand values). */
function pathOf(frame: Frame | null): (string | number)[] {
  const path: (string | number)[] = [];
  for (let f = frame; f && f.parent; f = f.parent) path.push(f.key);
  return path.reverse();
}

/** The first problem of a parsed JSON body, or null. Iterative: any depth is safe to check. */
export function checkJsonTree(root: unknown, maxDepth: number = MAX_BODY_DEPTH): ErrorDetail | null {
  const stack: Frame[] = [{ value: root, parent: null, key: '', depth: 0 }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    const { value, depth } = frame;
    if (typeof value === 'string') {
      const issue = unstorableStringIssue(value);
      if (issue) return { field: fieldOf(pathOf(frame)), issue };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxDepth) return { field: fieldOf(pathOf(frame)), issue: `is nested too deeply (at most ${maxDepth} levels)` };
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        const item: unknown = value[i];
        if (needsCheck(item)) stack.push({ value: item, parent: frame, key: i, depth: depth + 1 });
      }
      continue;
    }
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i];
      if (key === '__proto__') return { field: fieldOf([...pathOf(frame), key]), issue: 'is not allowed as a key' };
      const keyIssue = unstorableStringIssue(key);
      if (keyIssue) return { field: fieldOf(pathOf(frame)), issue: `has a key that ${keyIssue}` };
      const item: unknown = (value as Record<string, unknown>)[key];
      if (needsCheck(item)) stack.push({ value: item, parent: frame, key, depth: depth + 1 });
    }
  }
  return null;
}
