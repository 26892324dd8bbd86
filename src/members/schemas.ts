import { z } from 'zod';
import { Slug } from '../projects/schemas.ts';
import { OrgRoleName } from '../users/schemas.ts';

/** Sentry sends the role as `orgRole` (older clients: `role`). */
export const AddMemberInput = z
  .object({
    email: z.string().trim().toLowerCase().email(),
    orgRole: OrgRoleName.optional(),
    role: OrgRoleName.optional(),
    teams: z.array(Slug).max(100).optional(),
  })
  .transform(({ orgRole, role, ...rest }) => ({ ...rest, role: orgRole ?? role ?? 'member' }));

export const UpdateMemberInput = z
  .object({ orgRole: OrgRoleName.optional(), role: OrgRoleName.optional() })
  .transform(({ orgRole, role }) => ({ role: orgRole ?? role }))
  .refine((input) => input.role !== undefined, { message: 'orgRole is required', path: ['orgRole'] });
