import type { Membership, OrgRole, Team } from './types-accounts.ts';

/** A row as both drivers return it after their own type conversion: snake_case columns. */
type Row = Record<string, unknown>;

/** Groups rows by a numeric column into a Map of mapped values, keeping row order. */
export function groupBy<T>(rows: Row[], column: string, map: (row: Row) => T): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const id = Number(row[column]);
    const list = groups.get(id) ?? [];
    list.push(map(row));
    groups.set(id, list);
  }
  return groups;
}

export function toMembership(row: Row): Membership {
  return {
    orgId: Number(row.org_id),
    userId: Number(row.user_id),
    role: row.role as OrgRole,
    createdAt: Number(row.created_at),
  };
}

export function toTeam(row: Row): Team {
  return {
    id: Number(row.id),
    orgId: Number(row.org_id),
    slug: String(row.slug),
    name: String(row.name),
    createdAt: Number(row.created_at),
  };
}
