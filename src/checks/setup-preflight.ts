import { statSync } from 'node:fs';
import { type CheckContext, rerunCommand } from './context.ts';
import { maskDsn } from './mask.ts';
import { findManifests, installHint } from './preflight/manifests.ts';
import { walkRepo } from './preflight/walk-repo.ts';
import { scanWiring } from './preflight/wiring.ts';
import { CheckReport } from './report.ts';
import type { CheckResult, Location, PreflightData } from './schemas.ts';

const SHOWN = 5;
const where = (locations: Location[]) =>
  locations
    .slice(0, SHOWN)
    .map((l) => `${l.file}:${l.line} (${l.what})`)
    .join(', ') + (locations.length > SHOWN ? `, and ${locations.length - SHOWN} more` : '');

/**
 * Repository wiring, without the network: the SDK in a manifest, where it is initialised, the
 * DSN contract (read from the environment, documented, never hard-coded), release naming, and
 * source map / debug file upload. Reads files only; never changes the repository.
 */
export function runSetupPreflight(ctx: CheckContext): CheckResult {
  const report = new CheckReport('setup-preflight');
  const root = ctx.options.repoRoot;
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    report.fail(`repository root ${root} is not a directory`);
    report.next('npx firebreak check --mode setup-preflight --repo-root /path/to/repo');
    return report.result(null);
  }
  const listing = walkRepo(root);
  const manifests = findManifests(listing.files);
  const wiring = scanWiring(listing.files);
  report.fact(`scanned ${listing.files.length} files under ${root}`);
  if (listing.truncated) report.note('the repository is large: the scan stopped at its file limit');

  const sdks = manifests.filter((m) => m.sdkPackages.length > 0);
  for (const m of sdks)
    report.fact(`Sentry SDK in ${m.manifest} (${m.ecosystem}): ${m.sdkPackages.join(', ')}`);
  if (sdks.length === 0) {
    const kinds = [...new Set(manifests.map((m) => m.ecosystem))];
    report.fail(
      kinds.length
        ? `no Sentry SDK in the ${kinds.join(', ')} manifests (${manifests.map((m) => m.manifest).join(', ')})`
        : 'no dependency manifest with a Sentry SDK (looked for npm, Python, Go, Ruby, Java, PHP, Rust, .NET, Dart)',
    );
    for (const kind of kinds) {
      const hint = installHint(kind);
      if (hint) report.next(hint);
    }
  }

  if (wiring.initCalls.length > 0) report.fact(`Sentry initialised at ${where(wiring.initCalls)}`);
  else if (sdks.length > 0)
    report.fail('the SDK is a dependency but Sentry is never initialised in the source');

  // DSN contract: from the environment, named in an example env file, never a literal.
  for (const d of wiring.hardcodedDsns) {
    report.fail(`DSN hard-coded at ${d.file}:${d.line}: ${maskDsn(d.dsn)}; read it from SENTRY_DSN instead`);
  }
  const dsnVars = wiring.dsnEnvVars.length > 0 ? wiring.dsnEnvVars : ['SENTRY_DSN'];
  if (wiring.dsnEnvVars.length > 0) report.fact(`DSN read from the environment: ${dsnVars.join(', ')}`);
  else if (wiring.initCalls.length > 0 && wiring.hardcodedDsns.length === 0) {
    report.fact('no DSN variable named in the code: the SDKs read SENTRY_DSN by default');
  }
  const undocumented = dsnVars.filter((v) => !wiring.documentedVars.has(v));
  if (wiring.envExampleFiles.length > 0)
    report.fact(`example env files: ${wiring.envExampleFiles.join(', ')}`);
  if (sdks.length > 0 && undocumented.length > 0) {
    report.warn(
      `${undocumented.join(', ')} not documented in an example env file (.env.example or similar): a new environment will run without error reporting`,
    );
  } else if (sdks.length > 0) {
    report.fact(`${dsnVars.join(', ')} documented for new environments`);
  }

  if (wiring.releaseWiring.length > 0) report.fact(`release naming wired at ${where(wiring.releaseWiring)}`);
  else if (sdks.length > 0) {
    report.warn(
      'no release naming (release in init, SENTRY_RELEASE, sentry-cli releases): issues cannot be tied to releases, so regressions and release-gate have nothing to compare',
    );
  }

  const uploadNeeds = [...new Set(sdks.map((m) => m.needsUpload).filter((n): n is string => n !== null))];
  if (wiring.uploadWiring.length > 0) report.fact(`upload wired at ${where(wiring.uploadWiring)}`);
  else if (uploadNeeds.length > 0) {
    report.warn(
      `${uploadNeeds.join(' and ')} are not uploaded in any build or CI file: stack traces will show built code`,
    );
    report.next('sentry-cli sourcemaps upload --release "$SENTRY_RELEASE" dist  # or debug-files upload');
  } else if (sdks.length > 0) {
    report.fact('no source map or debug file upload needed for these runtimes');
  }

  if (report.status !== 'PASS') report.next(rerunCommand(ctx, 'setup-preflight'));
  else report.next(rerunCommand(ctx, 'local-smoke'));
  const data: PreflightData = {
    sdks: sdks.map((m) => ({ ecosystem: m.ecosystem, manifest: m.manifest, packages: m.sdkPackages })),
    initCalls: wiring.initCalls,
    hardcodedDsns: wiring.hardcodedDsns.map((d) => ({ file: d.file, line: d.line, what: maskDsn(d.dsn) })),
    dsnEnvVars: wiring.dsnEnvVars,
    envExampleFiles: wiring.envExampleFiles,
    undocumentedDsnVars: sdks.length > 0 ? undocumented : [],
    releaseWiring: wiring.releaseWiring,
    uploadWiring: wiring.uploadWiring,
    uploadExpected: uploadNeeds.length > 0,
    filesScanned: listing.files.length,
  };
  return report.result(data);
}
