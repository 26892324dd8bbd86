import { frameKey, type IncidentSignature } from './signature.ts';

/**
 * How alike two incidents are, from their signatures. Each kind of likeness counts once, with a
 * weight that says how much it tells about a shared cause: the same issue (a linked issue in
 * common, or issues sharing a grouping hash — the same crash grouped in another project or after
 * a deletion) is nearly a repeat; the same top in-app frame is the same code failing; the same
 * component or project is only the same neighbourhood. The score is the sum of the weights.
 */
export const REASON_WEIGHTS = {
  same_issue: 8,
  same_frame: 4,
  same_component: 2,
  same_project: 1,
} as const;

export type ReasonKind = keyof typeof REASON_WEIGHTS;

export interface SimilarityReason {
  kind: ReasonKind;
  weight: number;
  /** One line: `same issue WEB-12`, `same top frame app/cart.js in checkout`. */
  detail: string;
  /** same_issue: `issue` when a linked issue is shared, else `hash`. */
  via?: 'issue' | 'hash';
  /** same_issue: the past incident's matching issues (short ids). */
  issues?: string[];
  frames?: string[];
  components?: string[];
  /** same_project: project ids. */
  projectIds?: number[];
}

const intersect = <T>(a: Iterable<T>, b: Iterable<T>): T[] => {
  const set = new Set(b);
  return [...new Set(a)].filter((v) => set.has(v));
};

const reason = (
  kind: ReasonKind,
  detail: string,
  extra: Partial<SimilarityReason> = {},
): SimilarityReason => ({
  kind,
  weight: REASON_WEIGHTS[kind],
  detail,
  ...extra,
});

/** Why `past` looks like `current` (empty: not at all). `slugOf` names projects. */
export function compareSignatures(
  current: IncidentSignature,
  past: IncidentSignature,
  slugOf: (projectId: number) => string,
): SimilarityReason[] {
  const reasons: SimilarityReason[] = [];
  const currentIds = new Set(current.issues.map((i) => i.issueId));
  const direct = past.issues.filter((i) => currentIds.has(i.issueId));
  const currentHashes = new Set(current.issues.flatMap((i) => i.hashes));
  const viaHash = past.issues.filter(
    (i) => !currentIds.has(i.issueId) && i.hashes.some((h) => currentHashes.has(h)),
  );
  if (direct.length > 0 || viaHash.length > 0) {
    const issues = [...direct, ...viaHash].map((i) => i.shortId);
    reasons.push(
      reason(
        'same_issue',
        direct.length > 0 ? `same issue ${issues.join(', ')}` : `same grouping hash as ${issues.join(', ')}`,
        { via: direct.length > 0 ? 'issue' : 'hash', issues },
      ),
    );
  }
  const frames = intersect(
    current.issues.map((i) => frameKey(i.frame)).filter((k): k is string => k !== null),
    past.issues.map((i) => frameKey(i.frame)).filter((k): k is string => k !== null),
  );
  if (frames.length > 0)
    reasons.push(reason('same_frame', `same top frame ${frames.join(', ')}`, { frames }));
  const components = intersect(current.components, past.components);
  if (components.length > 0) {
    reasons.push(reason('same_component', `same component ${components.join(', ')}`, { components }));
  }
  const projectIds = intersect(current.projectIds, past.projectIds);
  if (projectIds.length > 0) {
    reasons.push(reason('same_project', `same project ${projectIds.map(slugOf).join(', ')}`, { projectIds }));
  }
  return reasons;
}

export const scoreOf = (reasons: SimilarityReason[]): number => reasons.reduce((sum, r) => sum + r.weight, 0);

/** Highest score first; on a tie the more recent incident (memory fades). */
export function rankSimilar<T extends { score: number; declaredAt: number; number: number }>(
  items: T[],
): T[] {
  return [...items].sort((a, b) => b.score - a.score || b.declaredAt - a.declaredAt || b.number - a.number);
}
