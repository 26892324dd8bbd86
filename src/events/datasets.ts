import { invalid } from '../app-error.ts';
import { clip } from '../validation.ts';
import type { FieldType } from './fields.ts';

/** Datasets holding error events: Firebreak stores errors (and message events) only. */
const ERROR_DATASETS = new Set(['errors', 'discover']);

/**
 * Datasets Sentry has and Firebreak stores nothing of (transactions, spans, logs, metrics,
 * profiles, generic issues). They answer an empty result with proper meta, so a client that
 * asks (the MCP server's search_events on spans) gets "no results" rather than an error.
 */
const EMPTY_DATASETS = new Set([
  'transactions',
  'spans',
  'logs',
  'ourlogs',
  'metrics',
  'tracemetrics',
  'profiles',
  'profile_functions',
  'issuePlatform',
  'uptime',
  'uptime_results',
  'metricsEnhanced',
]);

export type DatasetKind = 'errors' | 'empty';

export function datasetKind(dataset: string | undefined): DatasetKind {
  if (dataset === undefined || ERROR_DATASETS.has(dataset)) return 'errors';
  if (EMPTY_DATASETS.has(dataset)) return 'empty';
  throw invalid(`unknown dataset "${clip(dataset)}"`);
}

/** A best guess of a field's type where there is no schema (the empty datasets). */
export function guessFieldType(name: string): FieldType {
  if (/^(count|count_unique|count_if|eps|epm)\(/.test(name))
    return name.startsWith('ep') ? 'number' : 'integer';
  if (/\(/.test(name)) return 'number';
  if (name === 'timestamp' || name.endsWith('.timestamp')) return 'date';
  if (/duration$|^value$/.test(name)) return 'number';
  return 'string';
}
