import { formatTag } from '../../runbooks/schemas.ts';
import type { RunbookSuggestion } from '../../runbooks/suggest.ts';
import type { RunbookView } from '../../runbooks/view.ts';
import { isoDate } from './dates.ts';

/** A runbook as the API shows it: the Markdown exactly as stored (clients render or print it). */
export function serializeRunbook({ runbook, projects }: RunbookView) {
  return {
    id: String(runbook.id),
    title: runbook.title,
    body: runbook.body,
    format: 'markdown',
    projects: projects.map((p) => p.slug),
    tags: runbook.tags.map(formatTag),
    createdBy: runbook.createdBy,
    updatedBy: runbook.updatedBy,
    dateCreated: isoDate(runbook.createdAt),
    dateUpdated: isoDate(runbook.updatedAt),
  };
}

export function serializeRunbookSuggestion(suggestion: RunbookSuggestion) {
  return { ...serializeRunbook(suggestion), matchedBy: suggestion.matchedBy };
}
