import { closeSync, openSync, readSync } from 'node:fs';

const WAL_HEADER_BYTES = 16;
/** Offset of the checkpoint sequence number, a big-endian u32 (sqlite.org/fileformat2.html#walformat). */
const CHECKPOINT_SEQUENCE_OFFSET = 12;

/**
 * How many times SQLite has started this database's WAL over: the WAL header's checkpoint
 * sequence number, 0 while there is no WAL yet. Tests use it to tell a WAL that restarts under
 * load from one that only grows (decision 0004).
 */
export function walRestarts(databaseFile: string): number {
  let file: number;
  try {
    file = openSync(`${databaseFile}-wal`, 'r');
  } catch {
    return 0;
  }
  try {
    const header = Buffer.alloc(WAL_HEADER_BYTES);
    const read = readSync(file, header, 0, WAL_HEADER_BYTES, 0);
    return read === WAL_HEADER_BYTES ? header.readUInt32BE(CHECKPOINT_SEQUENCE_OFFSET) : 0;
  } finally {
    closeSync(file);
  }
}
