import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultMaxConnections } from './connection-limit.ts';

const limits = (soft: string) =>
  `Limit                     Soft Limit           Hard Limit           Units     \nMax open files            ${soft.padEnd(21)}1048576              files     \n`;

test('the default connection cap is the open-file limit less a reserve, never below 64', () => {
  assert.equal(defaultMaxConnections(limits('20000')), 19_488);
  assert.equal(defaultMaxConnections(limits('256')), 64);
  assert.equal(defaultMaxConnections(limits('unlimited')), null);
  assert.equal(defaultMaxConnections(null), null, 'no /proc: no cap unless configured');
});
