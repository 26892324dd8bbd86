import type { ApiToken, Org, Project, ProjectKey, User } from './types.ts';

/** Organisations, projects, DSN keys, users and API tokens (and, with the Web API, members and teams). */
export interface AccountsStore {
  orgs: {
    create(input: { slug: string; name: string; now: number }): Promise<Org>;
    getBySlug(slug: string): Promise<Org | null>;
    getById(id: number): Promise<Org | null>;
    list(): Promise<Org[]>;
  };
  projects: {
    create(input: {
      orgId: number;
      slug: string;
      name: string;
      platform: string | null;
      now: number;
    }): Promise<Project>;
    getById(id: number): Promise<Project | null>;
    getBySlug(orgId: number, slug: string): Promise<Project | null>;
    listByOrg(orgId: number): Promise<Project[]>;
    listAll(): Promise<Project[]>;
    /** Changes settings (retention limits included); null when the project does not exist. */
    update(
      id: number,
      patch: Partial<Pick<Project, 'name' | 'platform' | 'eventMaxAgeDays' | 'eventsPerIssue'>>,
    ): Promise<Project | null>;
  };
  keys: {
    create(input: {
      projectId: number;
      label: string;
      publicKey: string;
      secretKey: string;
      now: number;
    }): Promise<ProjectKey>;
    getByPublicKey(publicKey: string): Promise<ProjectKey | null>;
    listByProject(projectId: number): Promise<ProjectKey[]>;
    update(
      id: number,
      patch: Partial<Pick<ProjectKey, 'label' | 'isActive' | 'rateLimitCount' | 'rateLimitWindowSeconds'>>,
    ): Promise<ProjectKey | null>;
  };
  users: {
    create(input: { email: string; name: string; passwordHash: string | null; now: number }): Promise<User>;
    getByEmail(email: string): Promise<User | null>;
    getById(id: number): Promise<User | null>;
  };
  tokens: {
    create(input: Omit<ApiToken, 'id' | 'lastUsedAt' | 'revokedAt'>): Promise<ApiToken>;
    /** Active (not revoked) token by hash. */
    getByHash(tokenHash: string): Promise<ApiToken | null>;
    touch(id: number, now: number): Promise<void>;
    revoke(id: number, now: number): Promise<boolean>;
  };
}
