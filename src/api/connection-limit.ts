import { readFileSync } from 'node:fs';

/** File descriptors kept back for what is not a client connection: databases, workers, outgoing calls. */
const RESERVED_DESCRIPTORS = 512;

/**
 * The most client connections to hold at once, by default the process's open-file limit less a
 * reserve. Past it Node closes new connections at once. Without a cap, ~20,000 connections that
 * each sent part of a request used every descriptor: the prepare worker could not restart and
 * SQLite could not open its files, so every client failed, not only the newest.
 */
export function defaultMaxConnections(limitsText = readProcLimits()): number | null {
  const soft = /^Max open files\s+(\d+|unlimited)/m.exec(limitsText ?? '')?.[1];
  if (soft === undefined || soft === 'unlimited') return null;
  return Math.max(64, Number(soft) - RESERVED_DESCRIPTORS);
}

function readProcLimits(): string | null {
  try {
    return readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return null; // not Linux: no cap unless FIREBREAK_MAX_CONNECTIONS sets one
  }
}
