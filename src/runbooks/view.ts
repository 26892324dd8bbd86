import type { AppContext } from '../context.ts';
import type { Project } from '../store/types.ts';
import type { Runbook } from '../store/types-runbooks.ts';

/** A runbook with its projects named (slugs), as every runbook answer shows it. */
export interface RunbookView {
  runbook: Runbook;
  projects: Pick<Project, 'id' | 'slug'>[];
}

export async function viewRunbooks(
  ctx: AppContext,
  orgId: number,
  runbooks: Runbook[],
): Promise<RunbookView[]> {
  if (runbooks.length === 0) return [];
  const projects = new Map((await ctx.store.projects.listByOrg(orgId)).map((p) => [p.id, p]));
  return runbooks.map((runbook) => ({
    runbook,
    projects: runbook.projectIds.flatMap((id) => {
      const project = projects.get(id);
      return project ? [{ id: project.id, slug: project.slug }] : [];
    }),
  }));
}
