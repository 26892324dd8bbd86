import type { NormalizedEvent, StackFrame } from '../digest/event.ts';
import type { Commit } from '../store/types-releases.ts';

/** Like Sentry's suspect-commit matching, only the most recent in-app frames count. */
const FRAME_LIMIT = 25;

/** Paths of the event's in-app frames, most recent first (all frames when none is marked in-app). */
export function inAppFramePaths(event: NormalizedEvent): string[] {
  const stacks = [
    ...(event.exception?.values ?? []).map((value) => value.stacktrace),
    ...(event.threads?.values ?? []).map((thread) => thread.stacktrace),
    event.stacktrace,
  ];
  const frames: StackFrame[] = stacks.flatMap((stack) => stack?.frames ?? []);
  const inApp = frames.some((frame) => frame.in_app === true)
    ? frames.filter((f) => f.in_app === true)
    : frames;
  const paths = inApp
    .reverse()
    .slice(0, FRAME_LIMIT)
    .flatMap((frame) => [frame.abs_path, frame.filename])
    .filter((path): path is string => typeof path === 'string' && path.length > 0);
  return [...new Set(paths)];
}

/** Path segments without scheme/host (`file://`, `app:///`, `webpack://`, `https://host`), `.` or empty parts. */
export function pathSegments(path: string): string[] {
  const withoutScheme = path.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  return withoutScheme
    .replaceAll('\\', '/')
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.' && segment !== '~' && !/^[a-z]:$/i.test(segment));
}

/**
 * How many trailing path segments two paths share, when the shorter one is entirely a suffix of
 * the longer (frame `/app/src/routes/users.js` ↔ file `src/routes/users.js` → 3); else 0.
 */
export function suffixMatchLength(framePath: string, filePath: string): number {
  const a = pathSegments(framePath);
  const b = pathSegments(filePath);
  const n = Math.min(a.length, b.length);
  if (n === 0) return 0;
  for (let i = 1; i <= n; i++) if (a[a.length - i] !== b[b.length - i]) return 0;
  return n;
}

export interface SuspectCommit {
  commit: Commit;
  /** Longest path match between one of its changed files and a frame. */
  score: number;
}

/** Commits that changed a file appearing in the frames, best match first (ties keep release order). */
export function suspectCommits(commits: Commit[], framePaths: string[]): SuspectCommit[] {
  const suspects: SuspectCommit[] = [];
  for (const commit of commits) {
    let score = 0;
    for (const file of commit.files ?? []) {
      for (const frame of framePaths) score = Math.max(score, suffixMatchLength(frame, file.path));
    }
    if (score > 0) suspects.push({ commit, score });
  }
  return suspects.sort((x, y) => y.score - x.score);
}
