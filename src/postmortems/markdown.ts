import type { ActionItemStatus } from '../store/types-postmortems.ts';
import { renderChartSvg } from './chart-svg.ts';
import { durationText, isoSeconds, mdText, plural } from './format.ts';
import { hintsOf } from './hints.ts';
import { NARRATIVE_LABELS, type NarrativeField } from './narrative.ts';
import type { PostmortemView } from './view.ts';

/**
 * The post-mortem as a Markdown ADR. Text that comes from data (issue titles, release names,
 * timeline entries, action item titles) is escaped so it renders as text, never as HTML or
 * Markdown structure; the narrative fields are Markdown people wrote and are kept as written.
 */

const cell = (text: string) => (text === '' ? ' ' : text);
const table = (head: string[], rows: string[][]) => [
  `| ${head.join(' | ')} |`,
  `|${head.map(() => '---').join('|')}|`,
  ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
];

/** A fence longer than any run of backticks in the text, so nothing inside can close it. */
function fenced(text: string, info = 'text'): string[] {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${info}`, text, fence];
}

export type ChartMode = 'embed' | 'link' | 'none';

const STATUS_LABELS: Record<ActionItemStatus, string> = {
  open: 'open',
  in_progress: 'in progress',
  done: 'done',
  wont_do: 'won’t do',
};

export function renderMarkdown(
  view: PostmortemView,
  options: { chart: ChartMode; chartUrl: string },
): string[] {
  const { facts, effective, adr } = view;
  const { incident, impact } = facts;
  const hints = hintsOf(facts);
  const narrative = (field: NarrativeField, data: string[] = [], level = '##') => [
    `${level} ${NARRATIVE_LABELS[field]}`,
    '',
    effective[field] ?? '_Not written yet._',
    ...(data.length ? ['', '_From the data:_', '', ...data.map((line) => `- ${mdText(line, 500)}`)] : []),
    '',
  ];
  const status =
    view.status === 'final'
      ? `final — ${incident.ref} is closed`
      : `draft — ${incident.ref} is ${view.incident.status}; closing it makes this final`;
  const lines = [
    `# ${adr}: Post-mortem — ${mdText(effective.title ?? incident.title, 200)}`,
    '',
    ...table(
      ['', ''],
      [
        ['Status', status],
        [
          'Incident',
          `${incident.ref} (${mdText(incident.severity)}), declared ${isoSeconds(incident.declaredAt)}`,
        ],
        [
          'Generated',
          `${isoSeconds(facts.generatedAt)} by ${mdText(view.postmortem.generatedBy)}${view.stale ? ' — the incident changed since: regenerate to refresh the data' : ''}`,
        ],
      ],
    ),
    '',
    ...fenced(view.reconciliation),
    '',
    '## Summary',
    '',
    effective.summary ?? '',
    '',
    '## Impact',
    '',
    ...table(
      ['', ''],
      [
        [
          'Duration',
          `${durationText(impact.durationSeconds)}${impact.ongoing ? ' so far' : ''} (${isoSeconds(impact.start)} → ${isoSeconds(impact.end)})`,
        ],
        ['Events', String(impact.events)],
        ['Affected users', impact.users > 0 ? String(impact.users) : 'unknown (no user on the events)'],
        [
          'Blast radius',
          `${mdText(facts.blast.phrase)} (${facts.blast.features.names.map((f) => mdText(f.name, 80)).join(', ') || '—'}), as of ${isoSeconds(facts.blast.at)}`,
        ],
        ['Releases', impact.releases.map((r) => `${mdText(r.value, 100)} (${r.count})`).join(', ') || '—'],
        [
          'Environments',
          impact.environments.map((e) => `${mdText(e.value, 100)} (${e.count})`).join(', ') || '—',
        ],
        ['Projects', impact.projects.map((p) => mdText(p)).join(', ') || '—'],
      ],
    ),
    '',
    ...chartLines(view, options),
    ...impact.perIssue.map(
      (i) => `- ${mdText(i.shortId)}: ${mdText(i.title, 200)} — ${plural(i.events, 'event')}`,
    ),
    '',
    '## Timeline',
    '',
    ...table(
      ['Time (UTC)', 'What', 'Who'],
      facts.timeline.map((row) => [
        isoSeconds(row.at),
        `${row.starred ? '★ ' : ''}${row.kind.startsWith('milestone:') ? '**' : ''}${mdText(row.text, 300)}${row.kind.startsWith('milestone:') ? '**' : ''}`,
        row.actor ? mdText(row.actor) : '',
      ]),
    ),
    '',
    ...narrative('rootCause'),
    ...narrative('contributingFactors'),
    '## Detection',
    '',
    `- How: ${mdText(incident.detectionSource ?? 'manual')}, at ${isoSeconds(incident.detectedAt ?? incident.declaredAt)}`,
    `- First event: ${incident.firstEventAt === null ? 'unknown' : isoSeconds(incident.firstEventAt)}; time to detect: ${durationText(incident.firstEventAt === null ? null : Math.max(0, Math.round(((incident.detectedAt ?? incident.declaredAt) - incident.firstEventAt) / 1000)))}`,
    `- Acknowledged: ${incident.acknowledgedAt === null ? 'never' : isoSeconds(incident.acknowledgedAt)}`,
    '',
    ...narrative('detectionGaps', hints.detection, '###'),
    ...narrative('whySlippedThroughTests', hints.tests),
    ...narrative('wentWell', hints.wentWell),
    ...narrative('wentBadly', hints.wentBadly),
    ...(effective.lessons ? narrative('lessons') : []),
    '## Action items',
    '',
    ...(view.actionItems.length === 0
      ? ['_None yet._']
      : table(
          ['#', 'Kind', 'Title', 'Owner', 'Due', 'Status'],
          view.actionItems.map(({ item, owner, overdue }) => [
            String(item.id),
            item.kind,
            mdText(item.title, 200),
            owner ? mdText(owner.name, 100) : '—',
            item.dueAt === null ? '—' : isoSeconds(item.dueAt).slice(0, 10),
            `${STATUS_LABELS[item.status]}${overdue ? ' **(overdue)**' : ''}`,
          ]),
        )),
    '',
    '## Revisit when',
    '',
    mdText(view.revisit.text, 1000),
    '',
  ];
  return lines;
}

function chartLines(view: PostmortemView, options: { chart: ChartMode; chartUrl: string }): string[] {
  if (options.chart === 'none') return [];
  const alt = `Error rate of ${view.facts.incident.ref}'s linked issues, with deploys and mitigations`;
  if (options.chart === 'link') return [`![${alt}](${options.chartUrl})`, ''];
  const svg = renderChartSvg(view.facts.chart, alt);
  return [`![${alt}](data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')})`, ''];
}

export const postmortemMarkdown = (
  view: PostmortemView,
  options: { chart: ChartMode; chartUrl: string },
): string => renderMarkdown(view, options).join('\n');
