import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CHECK_OUTPUT_JSON_SCHEMA } from '../src/checks/schemas.ts';
import { validateJsonSchema } from './helpers/check-json-schema.ts';
import { CHECK_REPOS } from './helpers/check-repo.ts';
import { checkOf, runCheck } from './helpers/check-run.ts';

const preflight = async (root: string) => {
  const result = await runCheck(['--mode', 'setup-preflight', '--repo-root', root, '--json']);
  assert.deepEqual(validateJsonSchema(CHECK_OUTPUT_JSON_SCHEMA, result.json), []);
  return { ...result, check: checkOf(result.json, 'setup-preflight') };
};

const temps: string[] = [];
/** A throwaway repository holding exactly these files. */
function repoWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-preflight-'));
  temps.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('setup-preflight on fixture repositories (no network)', () => {
  test('a correctly wired npm app passes: SDK, init, DSN from env and documented, release, source map upload', async () => {
    const { json, check } = await preflight(join(CHECK_REPOS, 'wired-node'));
    assert.equal(json.status, 'PASS', JSON.stringify(json.risks));
    assert.deepEqual(check.data.sdks, [
      { ecosystem: 'npm', manifest: 'package.json', packages: ['@sentry/node'] },
    ]);
    assert.deepEqual(check.data.initCalls, [{ file: 'src/instrument.js', line: 4, what: 'Sentry.init' }]);
    assert.deepEqual(check.data.dsnEnvVars, ['SENTRY_DSN']);
    assert.deepEqual(check.data.envExampleFiles, ['.env.example']);
    assert.deepEqual(check.data.undocumentedDsnVars, []);
    assert.deepEqual(check.data.hardcodedDsns, []);
    assert.ok(check.data.releaseWiring.some((l: any) => l.file === 'src/instrument.js'));
    assert.ok(check.data.releaseWiring.some((l: any) => l.what === 'sentry-cli releases'));
    assert.equal(check.data.uploadExpected, true);
    assert.deepEqual(
      check.data.uploadWiring.map((l: any) => [l.file, l.what]),
      [['.github/workflows/deploy.yml', 'sentry-cli sourcemaps']],
    );
  });

  test('a hard-coded DSN fails, shown masked with its file and line', async () => {
    const { json, out, check } = await preflight(join(CHECK_REPOS, 'hardcoded-dsn'));
    assert.equal(json.status, 'FAIL');
    assert.deepEqual(check.data.hardcodedDsns, [
      { file: 'src/app.js', line: 5, what: 'https://0123…@o1234.ingest.sentry.io/5678' },
    ]);
    assert.ok(json.risks.some((r: string) => r.startsWith('DSN hard-coded at src/app.js:5: https://0123…@')));
    assert.ok(!out.includes('0123456789abcdef0123456789abcdef'), 'the key is never printed');
    assert.ok(json.risks.some((r: string) => /no release naming/.test(r)));
  });

  test('a repository without an SDK fails and says how to add one', async () => {
    const { json, check } = await preflight(join(CHECK_REPOS, 'no-sdk'));
    assert.equal(json.status, 'FAIL');
    assert.deepEqual(json.risks, ['no Sentry SDK in the npm manifests (package.json)']);
    assert.deepEqual(check.data.sdks, []);
    assert.ok(json.nextCommands.some((c: string) => c.startsWith('npm install @sentry/node')));
  });

  test('a missing repository root is a FAIL, not a crash', async () => {
    const { json } = await preflight(join(tmpdir(), 'no-such-firebreak-repo'));
    assert.equal(json.status, 'FAIL');
    assert.match(json.risks[0], /is not a directory/);
  });

  test('a DSN variable the example env file does not name is PARTIAL, naming it', async () => {
    const root = repoWith({
      'package.json': JSON.stringify({ dependencies: { '@sentry/nextjs': '^10.0.0' } }),
      'sentry.client.config.ts':
        "import * as Sentry from '@sentry/nextjs';\nSentry.init({ dsn: process.env.NEXT_PUBLIC_SENTRY_DSN });\n",
      '.env.example': 'DATABASE_URL=\n',
    });
    const { json, check } = await preflight(root);
    assert.equal(json.status, 'PARTIAL');
    assert.deepEqual(check.data.undocumentedDsnVars, ['NEXT_PUBLIC_SENTRY_DSN']);
    assert.ok(json.risks.some((r: string) => r.startsWith('NEXT_PUBLIC_SENTRY_DSN not documented')));
  });

  test('Python, Go, Ruby and Java (Maven and Gradle) manifests and their init calls are found', async () => {
    const cases: [string, Record<string, string>, string[], string][] = [
      [
        'python',
        {
          'requirements.txt': 'flask==3.0.0\nsentry-sdk[flask]==2.19.0\n',
          'app.py': 'import os\nimport sentry_sdk\n\nsentry_sdk.init(dsn=os.environ["SENTRY_DSN"])\n',
        },
        ['sentry-sdk'],
        'sentry_sdk.init',
      ],
      [
        'python',
        {
          'pyproject.toml': '[project]\nname = "api"\ndependencies = ["sentry-sdk>=2", "fastapi"]\n',
          'api/main.py': 'import sentry_sdk\nsentry_sdk.init()\n',
        },
        ['sentry-sdk'],
        'sentry_sdk.init',
      ],
      [
        'go',
        {
          'go.mod': 'module example.com/api\n\nrequire github.com/getsentry/sentry-go v0.29.0\n',
          'main.go':
            'package main\n\nfunc main() {\n\tsentry.Init(sentry.ClientOptions{Dsn: os.Getenv("SENTRY_DSN")})\n}\n',
        },
        ['github.com/getsentry/sentry-go'],
        'sentry.Init',
      ],
      [
        'ruby',
        {
          Gemfile: "source 'https://rubygems.org'\ngem 'rails'\ngem 'sentry-ruby'\ngem 'sentry-rails'\n",
          'config/initializers/sentry.rb': "Sentry.init do |config|\n  config.dsn = ENV['SENTRY_DSN']\nend\n",
        },
        ['sentry-rails', 'sentry-ruby'],
        'Sentry.init',
      ],
      [
        'java',
        {
          'pom.xml':
            '<project><dependencies><dependency><groupId>io.sentry</groupId><artifactId>sentry-spring-boot-starter-jakarta</artifactId></dependency></dependencies></project>',
          'src/main/resources/application.properties': `sentry.dsn=\${SENTRY_DSN}\n`,
        },
        ['io.sentry:sentry-spring-boot-starter-jakarta'],
        'sentry.dsn property',
      ],
      [
        'java',
        {
          'build.gradle': "dependencies {\n  implementation 'io.sentry:sentry:7.14.0'\n}\n",
          'src/main/java/App.java':
            'class App { void start() { Sentry.init(o -> o.setDsn(System.getenv("SENTRY_DSN"))); } }\n',
        },
        ['io.sentry:sentry'],
        'Sentry.init',
      ],
    ];
    for (const [ecosystem, files, packages, init] of cases) {
      const { check } = await preflight(repoWith(files));
      assert.deepEqual(
        check.data.sdks.map((s: any) => [s.ecosystem, s.packages]),
        [[ecosystem, packages]],
        ecosystem,
      );
      assert.equal(check.data.initCalls[0]?.what, init, ecosystem);
      assert.ok(
        check.data.dsnEnvVars.includes('SENTRY_DSN') ||
          check.evidence.some((e: string) => /by default/.test(e)),
      );
    }
  });

  test('dependencies, build output and tooling-only Sentry packages are not mistaken for the app', async () => {
    const root = repoWith({
      'package.json': JSON.stringify({
        devDependencies: { '@sentry/cli': '^3', '@sentry/vite-plugin': '^2' },
      }),
      'node_modules/@sentry/node/index.js': 'Sentry.init({})',
      'dist/app.js': "Sentry.init({dsn:'https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/2'})",
    });
    const { json, check } = await preflight(root);
    assert.equal(json.status, 'FAIL');
    assert.deepEqual(check.data.sdks, []);
    assert.deepEqual(check.data.initCalls, []);
    assert.deepEqual(check.data.hardcodedDsns, []);
  });
});
