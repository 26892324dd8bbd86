import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type CommandPlaceholder, fillTemplate, injectedOption } from './mitigation-hook.ts';

const values: Record<CommandPlaceholder, string> = {
  incident: 'INC-7',
  org: 'acme',
  project: 'web',
  type: 'rollback',
  release: 'web@1.2',
  environment: 'production',
  owner: '--version',
  mitigation: '12',
};

describe('command hook templates', () => {
  test('placeholders are filled inside each argument, never in the program', () => {
    assert.deepEqual(fillTemplate(['/bin/{org}', '{incident}', '--release={release}', '{nope}'], values), [
      '/bin/{org}',
      'INC-7',
      '--release=web@1.2',
      '{nope}',
    ]);
  });

  test('a value that would turn an argument into an option is found; options the template writes are not', () => {
    const template = ['/usr/bin/deploy', '--to={environment}', '{incident}', '{owner}'];
    assert.equal(injectedOption(template, fillTemplate(template, values)), 3);
    assert.equal(injectedOption(template, fillTemplate(template, { ...values, owner: 'Ada' })), null);
    assert.equal(injectedOption(['-rf'], ['-rf']), null, 'the program itself is not an argument');
  });
});
