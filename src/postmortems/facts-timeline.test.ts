import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TimelineEntryView } from '../incidents/timeline.ts';
import type { Incident } from '../store/types-incidents.ts';
import { severityAtDeclaration, timelineRows } from './facts-timeline.ts';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

function incident(severity: string): Incident {
  return {
    severity,
    detectionSource: 'manual',
    firstEventAt: null,
    detectedAt: null,
    declaredAt: T0,
    acknowledgedAt: null,
    mitigatedAt: null,
    resolvedAt: null,
  } as unknown as Incident;
}

function entry(id: number, kind: string, occurredAt: number, data: Record<string, unknown>, body = kind) {
  return {
    id,
    incidentId: 1,
    kind,
    body,
    data,
    actor: 'user:1',
    actorName: 'Ada',
    occurredAt,
    createdAt: occurredAt,
    starred: false,
  } as unknown as TimelineEntryView;
}

test('the declared milestone shows the severity at declaration, not the current one', () => {
  const entries = [
    entry(
      1,
      'declared',
      T0,
      { severity: 'P1', services: [], source: 'manual' },
      'Declared P1: checkout down',
    ),
    entry(2, 'severity', T0 + 60_000, { from: 'P1', to: 'P2' }, 'Severity P1 → P2'),
  ];
  const rows = timelineRows(incident('P2'), entries);
  const declared = rows.find((r) => r.kind === 'milestone:declared');
  assert.equal(declared?.text, 'Declared (P1)');
});

test('without a declared entry, the first severity change tells the starting severity', () => {
  const entries = [
    entry(3, 'severity', T0 + 120_000, { from: 'P2', to: 'P3' }),
    entry(2, 'severity', T0 + 60_000, { from: 'P1', to: 'P2' }),
  ];
  assert.equal(severityAtDeclaration(incident('P3'), entries), 'P1');
});

test('with no severity history, the current severity is the declared one', () => {
  assert.equal(severityAtDeclaration(incident('P3'), []), 'P3');
  const rows = timelineRows(incident('P3'), []);
  assert.equal(rows.find((r) => r.kind === 'milestone:declared')?.text, 'Declared (P3)');
});
