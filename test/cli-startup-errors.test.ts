import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { run } from './helpers/run.ts';

/** What an operator gets wrong at the command line gets one line and an exit code, never a hang. */
describe('serve and the admin commands: startup mistakes', () => {
  let busy: net.Server;
  let silent: net.Server;
  const sockets: net.Socket[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-startup-'));
  const firebreak = (...args: string[]) =>
    run(process.execPath, ['bin/firebreak.js', ...args], { timeoutMs: 40_000 });
  const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port;
  const listen = (server: net.Server) =>
    new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  before(async () => {
    busy = net.createServer((socket) => socket.destroy());
    // Accepts connections and never answers: a PostgreSQL that hangs.
    silent = net.createServer((socket) => sockets.push(socket));
    await Promise.all([listen(busy), listen(silent)]);
  });
  after(() => {
    for (const socket of sockets) socket.destroy();
    busy.close();
    silent.close();
  });

  test('serve on a port in use says so and exits 6, without a stack trace', async () => {
    const result = await firebreak(
      'serve',
      '--port',
      String(portOf(busy)),
      '--database',
      `sqlite:${join(dir, 'a.db')}`,
    );
    assert.equal(result.code, 6, result.stderr);
    assert.equal(
      result.stderr.trim(),
      `firebreak: cannot listen on 127.0.0.1:${portOf(busy)}: the port is in use (choose another with --port)`,
    );
  });

  test('an unreachable or silent PostgreSQL is one line and exit 6, naming the server but not the password', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const refused = await firebreak(
      'token',
      'list',
      '--database',
      `postgres://u:hunter2@127.0.0.1:${closedPort}/fb`,
    );
    assert.equal(refused.code, 6, refused.stderr);
    assert.equal(
      refused.stderr.trim(),
      `firebreak: cannot reach PostgreSQL at 127.0.0.1:${closedPort}/fb: ECONNREFUSED`,
    );
    const hanging = await firebreak(
      'serve',
      '--port',
      '0',
      '--database',
      `postgres://127.0.0.1:${portOf(silent)}/fb`,
    );
    assert.equal(hanging.code, 6, hanging.stderr);
    assert.match(hanging.stderr, /^firebreak: cannot reach PostgreSQL at 127\.0\.0\.1:\d+\/fb: .*timeout/);
    assert.doesNotMatch(hanging.stderr, /\n\s+at /, 'no stack trace');
  });

  test('token and user commands refuse a SQLite file that does not exist instead of creating it', async () => {
    const typo = join(dir, 'missing', 'typo.db');
    for (const args of [
      ['token', 'list'],
      ['token', 'create', '--org', 'acme'],
      ['user', 'add', '--email', 'a@example.com', '--org', 'acme'],
    ]) {
      const result = await firebreak(...args, '--database', `sqlite:${typo}`);
      assert.equal(result.code, 3, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /^firebreak: no Firebreak database at .*typo\.db/);
    }
    assert.equal(existsSync(typo), false);
    assert.equal(existsSync(join(dir, 'missing')), false);
  });

  test('a file that is no database, a host that does not resolve, a bad env-only setting: one line each', async () => {
    const notDatabase = join(dir, 'notes.txt');
    writeFileSync(notDatabase, 'not a database, just text\n'.repeat(200));
    for (const args of [
      ['serve', '--port', '0'],
      ['setup', '--org', 'acme', '--project', 'web'],
      ['token', 'list'],
    ]) {
      const result = await firebreak(...args, '--database', `sqlite:${notDatabase}`);
      assert.equal(result.code, 6, `${args.join(' ')}: ${result.stderr}`);
      assert.equal(
        result.stderr.trim(),
        `firebreak: cannot use SQLite database ${notDatabase}: file is not a database`,
      );
    }
    const unresolvable = await run(
      process.execPath,
      ['bin/firebreak.js', 'serve', '--port', '0', '--database', `sqlite:${join(dir, 'h.db')}`],
      { timeoutMs: 40_000, env: { FIREBREAK_HOST: 'no-such-host.invalid' } },
    );
    assert.equal(unresolvable.code, 6, unresolvable.stderr);
    assert.match(
      unresolvable.stderr.trim(),
      /^firebreak: cannot listen on no-such-host\.invalid:0: .* does not resolve/,
    );
    const envOnly = await run(
      process.execPath,
      ['bin/firebreak.js', 'serve', '--port', '0', '--database', `sqlite:${join(dir, 'e.db')}`],
      { timeoutMs: 40_000, env: { FIREBREAK_COMMIT_BATCH_SIZE: '0' } },
    );
    assert.notEqual(envOnly.code, 0);
    assert.match(envOnly.stderr, /invalid setting commitBatchSize \(FIREBREAK_COMMIT_BATCH_SIZE\)/);
  });
});
