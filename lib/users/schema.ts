// What admins and invitees send: invites, role changes and the password an invitee chooses.
import { z } from 'zod';
import { ROLES } from '../auth/roles';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

export const roleSchema = z.enum(ROLES, { error: 'Choose admin, member or viewer' });

export const emailSchema = z
  .string({ error: 'Enter an email address' })
  .trim()
  .min(1, 'Enter an email address')
  .max(320, 'must be at most 320 characters')
  .pipe(z.email({ error: 'is not a valid email address' }))
  .transform((email) => email.toLowerCase());

export const createInviteSchema = z.object({ email: emailSchema, role: roleSchema });
export type NewInvite = z.output<typeof createInviteSchema>;

export const changeRoleSchema = z.object({ role: roleSchema });

export const acceptInviteSchema = z
  .object({
    name: z.string().trim().min(1, 'Enter your name').max(100, 'must be at most 100 characters'),
    password: z
      .string()
      .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
      .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'does not match the password' });
export type AcceptInviteInput = z.output<typeof acceptInviteSchema>;
