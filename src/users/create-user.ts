import { AppError, notFound } from '../app-error.ts';
import { auditEntry } from '../audit/audit-entry.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { Store } from '../store/types.ts';
import { parseInput } from '../validation.ts';
import { AddUserToOrgInput, CreateUserInput } from './schemas.ts';

export interface CreatedUser {
  id: string;
  email: string;
  name: string;
  org: string | null;
  role: string | null;
}

/** A user with a scrypt-hashed password, optionally a member of an organisation (role default: member). */
export async function createUser(deps: { store: Store; now: number }, input: unknown): Promise<CreatedUser> {
  const data = parseInput(CreateUserInput, input);
  const org = data.org ? await deps.store.orgs.getBySlug(data.org) : null;
  if (data.org && !org) throw notFound(`organization ${data.org}`);
  const role = org ? (data.role ?? 'member') : null;
  const user = await deps.store.users.create({
    email: data.email,
    name: data.name,
    passwordHash: await hashPassword(data.password),
    now: deps.now,
    membership: org && role ? { orgId: org.id, role } : undefined,
  });
  return { id: String(user.id), email: user.email, name: user.name, org: org?.slug ?? null, role };
}

/**
 * An existing user joins an organisation, run by whoever holds the database (`firebreak user
 * add`). The API adds only users it may see (src/members/change-member.ts); this is the
 * operator's way to put a member of one organisation into another.
 */
export async function addUserToOrg(
  deps: { store: Store; now: number },
  input: unknown,
): Promise<CreatedUser> {
  const data = parseInput(AddUserToOrgInput, input);
  const org = await deps.store.orgs.getBySlug(data.org);
  if (!org) throw notFound(`organization ${data.org}`);
  const user = await deps.store.users.getByEmail(data.email);
  if (!user)
    throw new AppError(
      'NOT_FOUND',
      `user ${data.email} not found (create it with: npx firebreak user create)`,
    );
  await deps.store.members.add(
    { orgId: org.id, userId: user.id, role: data.role, now: deps.now },
    auditEntry(
      { orgId: org.id, actor: 'system', now: deps.now },
      'member.add',
      { type: 'member', id: user.id },
      { email: user.email, role: data.role, teams: [] },
    ),
  );
  return { id: String(user.id), email: user.email, name: user.name, org: org.slug, role: data.role };
}
