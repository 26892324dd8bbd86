import type { ApiToken, Org, Project, ProjectKey, User } from './types.ts';
import type { AuditEntry } from './types-audit.ts';

export type OrgRole = 'owner' | 'admin' | 'member';

export interface Membership {
  orgId: number;
  userId: number;
  role: OrgRole;
  createdAt: number;
}

export interface MemberWithUser extends Membership {
  user: User;
}

export interface Team {
  id: number;
  orgId: number;
  slug: string;
  name: string;
  createdAt: number;
}

export interface NewKey {
  label: string;
  publicKey: string;
  secretKey: string;
}

/**
 * Organisations, projects, DSN keys, users, API tokens, memberships and teams. Writes that must
 * land together (a project with its team and first key, a user with a membership, a key rotation)
 * are single methods so each backend runs them in one transaction. A write given an `audit` entry
 * records it in the same transaction, only when the change happened (see types-audit.ts).
 */
export interface AccountsStore {
  orgs: {
    create(input: { slug: string; name: string; now: number }): Promise<Org>;
    getBySlug(slug: string): Promise<Org | null>;
    getById(id: number): Promise<Org | null>;
    list(): Promise<Org[]>;
    /** Organisations the user is a member of, by slug. */
    listForUser(userId: number): Promise<Org[]>;
  };
  projects: {
    create(input: {
      orgId: number;
      slug: string;
      name: string;
      platform: string | null;
      now: number;
    }): Promise<Project>;
    /**
     * A project with its first DSN key (and owned by the team, when given), in one transaction:
     * a taken slug is a CONFLICT that leaves no key behind.
     */
    createWithKey(input: {
      orgId: number;
      teamId?: number;
      slug: string;
      name: string;
      platform: string | null;
      now: number;
      key: NewKey;
    }): Promise<{ project: Project; key: ProjectKey }>;
    getById(id: number): Promise<Project | null>;
    getBySlug(orgId: number, slug: string): Promise<Project | null>;
    listByOrg(orgId: number): Promise<Project[]>;
    listAll(): Promise<Project[]>;
    /** Changes settings (retention limits included); null when the project does not exist. */
    update(
      id: number,
      patch: Partial<Pick<Project, 'slug' | 'name' | 'platform' | 'eventMaxAgeDays' | 'eventsPerIssue'>>,
    ): Promise<Project | null>;
  };
  keys: {
    create(
      input: { projectId: number; now: number } & NewKey &
        Partial<Pick<ProjectKey, 'rateLimitCount' | 'rateLimitWindowSeconds'>>,
      audit?: AuditEntry,
    ): Promise<ProjectKey>;
    getByPublicKey(publicKey: string): Promise<ProjectKey | null>;
    listByProject(projectId: number): Promise<ProjectKey[]>;
    update(
      id: number,
      patch: Partial<Pick<ProjectKey, 'label' | 'isActive' | 'rateLimitCount' | 'rateLimitWindowSeconds'>>,
      audit?: AuditEntry,
    ): Promise<ProjectKey | null>;
    delete(id: number, audit?: AuditEntry): Promise<boolean>;
    /**
     * Replaces a key: a new active key with the same label and rate limit, and the old one
     * disabled, in one transaction. Null when the key does not exist.
     */
    rotate(
      id: number,
      replacement: { publicKey: string; secretKey: string; now: number },
      audit?: AuditEntry,
    ): Promise<{ retired: ProjectKey; created: ProjectKey } | null>;
  };
  users: {
    /** With `membership`, the user joins that organisation in the same transaction. */
    create(input: {
      email: string;
      name: string;
      passwordHash: string | null;
      now: number;
      membership?: { orgId: number; role: OrgRole };
    }): Promise<User>;
    getByEmail(email: string): Promise<User | null>;
    getById(id: number): Promise<User | null>;
  };
  tokens: {
    create(input: Omit<ApiToken, 'id' | 'lastUsedAt' | 'revokedAt'>, audit?: AuditEntry): Promise<ApiToken>;
    /** Active (not revoked) token by hash. */
    getByHash(tokenHash: string): Promise<ApiToken | null>;
    getById(id: number): Promise<ApiToken | null>;
    /** Active tokens bound to the organisation or owned by the user, oldest first. */
    list(filter: { orgId?: number; userId?: number }): Promise<ApiToken[]>;
    touch(id: number, now: number): Promise<void>;
    revoke(id: number, now: number, audit?: AuditEntry): Promise<boolean>;
  };
  members: {
    /** The user's membership of the organisation, or null. */
    get(orgId: number, userId: number): Promise<Membership | null>;
    /** Members with their user, by email. */
    listByOrg(orgId: number): Promise<MemberWithUser[]>;
    /** With `teamIds`, the user also joins those teams, in the same transaction. */
    add(
      input: {
        orgId: number;
        userId: number;
        role: OrgRole;
        now: number;
        teamIds?: number[];
      },
      audit?: AuditEntry,
    ): Promise<Membership>;
    /**
     * Null when not a member. Demoting the organisation's last owner is a CONFLICT, decided in the
     * same transaction as the write, so concurrent demotions cannot leave no owner.
     */
    setRole(orgId: number, userId: number, role: OrgRole, audit?: AuditEntry): Promise<Membership | null>;
    /**
     * Removes the membership and the user's places on the organisation's teams; false when not a
     * member. Removing the last owner is a CONFLICT, decided as for setRole.
     */
    remove(orgId: number, userId: number, audit?: AuditEntry): Promise<boolean>;
  };
  teams: {
    getById(id: number): Promise<Team | null>;
    getBySlug(orgId: number, slug: string): Promise<Team | null>;
    /** With `memberUserId`, that user joins the new team in the same transaction. */
    create(
      input: {
        orgId: number;
        slug: string;
        name: string;
        now: number;
        memberUserId?: number;
      },
      audit?: AuditEntry,
    ): Promise<Team>;
    listByOrg(orgId: number): Promise<Team[]>;
    /** For each project id, its teams by slug (projects without a team are absent). */
    listByProjects(projectIds: number[]): Promise<Map<number, Team[]>>;
    /** For each team id, its projects by slug. */
    projects(teamIds: number[]): Promise<Map<number, Project[]>>;
    /** For each user id, the organisation's teams the user is on, by slug (users on none are absent). */
    listByMembers(orgId: number, userIds: number[]): Promise<Map<number, Team[]>>;
    /** For each team id, its members' user ids. */
    memberIds(teamIds: number[]): Promise<Map<number, number[]>>;
    /** False when already linked / not linked. */
    addProject(teamId: number, projectId: number, audit?: AuditEntry): Promise<boolean>;
    removeProject(teamId: number, projectId: number, audit?: AuditEntry): Promise<boolean>;
    addMember(teamId: number, userId: number, now: number, audit?: AuditEntry): Promise<boolean>;
    removeMember(teamId: number, userId: number, audit?: AuditEntry): Promise<boolean>;
  };
}
