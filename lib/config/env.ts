import { z } from 'zod';
import { retentionDaysProblem } from '../usage/retention-policy';

// The environment Tollbooth reads, checked once at start: every bad variable is named with what is
// wrong with it, all at once, before anything listens (scripts/server.ts).

const wholeNumber = (what: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .superRefine((v, ctx) => {
      if (!/^\d+$/.test(v)) ctx.addIssue({ code: 'custom', message: `must be a whole number of ${what}` });
      else if (Number(v) < min) ctx.addIssue({ code: 'custom', message: `must be at least ${min}` });
      else if (Number(v) > max) ctx.addIssue({ code: 'custom', message: `must be at most ${max}` });
    })
    .optional();
const flag = z.enum(['0', '1'], { error: 'must be 1 (on) or 0 (off)' }).optional();
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://localhost:11434/v1' });

const envSchema = z
  .object({
    DATABASE_URL: z
      .string()
      .refine((v) => v.startsWith('file:') || /^postgres(ql)?:\/\//.test(v), 'must be a file: URL (SQLite) or a postgresql:// URL')
      .optional(),
    PORT: wholeNumber('a TCP port', 1, 65_535),
    TOLLBOOTH_ADMIN_EMAIL: z.email({ error: 'must be an email address' }).optional(),
    TOLLBOOTH_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    TOLLBOOTH_RESERVATION_TTL_SECONDS: wholeNumber('seconds', 1),
    TOLLBOOTH_DEFAULT_MAX_OUTPUT_TOKENS: wholeNumber('tokens', 1),
    TOLLBOOTH_UPSTREAM_TIMEOUT_MS: wholeNumber('milliseconds', 1),
    TOLLBOOTH_SHUTDOWN_GRACE_MS: wholeNumber('milliseconds', 0),
    TOLLBOOTH_USAGE_BATCH_MS: wholeNumber('milliseconds', 0, 60_000),
    TOLLBOOTH_WEBHOOK_RETRY_BASE_MS: wholeNumber('milliseconds', 1),
    TOLLBOOTH_WEBHOOK_POLL_MS: wholeNumber('milliseconds', 50),
    TOLLBOOTH_RETENTION_DAYS: z
      .string()
      .superRefine((v, ctx) => {
        const problem = retentionDaysProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    TOLLBOOTH_SQLITE_SYNCHRONOUS: z
      .string()
      .refine((v) => ['normal', 'full'].includes(v.trim().toLowerCase()), 'must be normal or full')
      .optional(),
    TOLLBOOTH_TRUST_PROXY: flag,
    TOLLBOOTH_REMOTE_AVATARS: flag,
    TOLLBOOTH_TEST_CLOCK: flag,
    TOLLBOOTH_ALLOW_WEAK_API_KEY: flag,
  });

/**
 * A positive number the environment may set (`fallback` when it is unset or not positive), read on first use: a read of
 * process.env costs microseconds, and the call paths ask on every call. The environment is the process's, checked at
 * start (environmentProblems).
 */
export function positiveFromEnv(name: string, fallback: number): () => number {
  let value: number | undefined;
  return () => {
    if (value === undefined) {
      const read = Number(process.env[name]);
      value = Number.isFinite(read) && read > 0 ? read : fallback;
    }
    return value;
  };
}

/** One line per bad variable ("NAME: what is wrong"); empty when the environment is fine. */
export function environmentProblems(env: Record<string, string | undefined> = process.env): string[] {
  // Empty values count as unset, as a shell or compose file often leaves them.
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const problems: string[] = [];
  const result = envSchema.safeParse(set);
  if (!result.success) for (const issue of result.error.issues) problems.push(`${String(issue.path[0])}: ${issue.message}`);
  if (Boolean(set.TOLLBOOTH_ADMIN_EMAIL) !== Boolean(set.TOLLBOOTH_ADMIN_PASSWORD)) {
    const missing = set.TOLLBOOTH_ADMIN_EMAIL ? 'TOLLBOOTH_ADMIN_PASSWORD' : 'TOLLBOOTH_ADMIN_EMAIL';
    problems.push(`${missing}: must be set too: the first admin needs both an email and a password`);
  }
  for (const [name, value] of Object.entries(set)) {
    if (/^TOLLBOOTH_PROVIDER_[A-Z0-9_]+_BASE_URL$/.test(name) && !httpUrl.safeParse(value).success) {
      problems.push(`${name}: must be an http(s) URL, e.g. http://localhost:11434/v1`);
    }
  }
  return problems;
}
