import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from './main.ts';
import type { CliIo } from './output.ts';

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (text) => stdout.push(text), err: (text) => stderr.push(text) };
}

test('an unknown command, including a name every object has, exits 2 with the usage', async () => {
  for (const name of ['frobnicate', 'constructor', 'toString']) {
    const io = capture();
    assert.equal(await runCli([name], io), 2, name);
    assert.match(io.stderr.join('\n'), new RegExp(`unknown command "${name}"[\\s\\S]*usage: firebreak`));
    assert.deepEqual(io.stdout, []);
  }
});

test('a command is loaded when it runs: its own help, and its errors mapped to exit codes', async () => {
  const help = capture();
  assert.equal(await runCli(['report', '--help'], help), 0);
  assert.match(help.stdout.join('\n'), /^usage: firebreak report/);

  const badFlag = capture();
  assert.equal(await runCli(['serve', '--no-such-flag'], badFlag), 2);
  assert.match(badFlag.stderr.join('\n'), /^firebreak: Unknown option '--no-such-flag'/);
});
