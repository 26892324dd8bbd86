import { notFound } from '../app-error.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { Store } from '../store/types.ts';
import { parseInput } from '../validation.ts';
import { CreateUserInput } from './schemas.ts';

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
