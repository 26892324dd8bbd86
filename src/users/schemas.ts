import { z } from 'zod';
import { Slug } from '../projects/schemas.ts';

export const OrgRoleName = z.enum(['owner', 'admin', 'member']);

export const CreateUserInput = z
  .object({
    email: z.string().trim().toLowerCase().email().max(254),
    name: z.string().trim().min(1).max(100),
    password: z.string().min(8, 'use at least 8 characters').max(1024),
    org: Slug.optional(),
    role: OrgRoleName.optional(),
  })
  .refine((input) => !input.role || input.org, { message: '--role needs --org', path: ['role'] });
export type CreateUserInput = z.infer<typeof CreateUserInput>;

/** `firebreak user add`: an existing user joins an organisation (the operator's way across orgs). */
export const AddUserToOrgInput = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  org: Slug,
  role: OrgRoleName.default('member'),
});
