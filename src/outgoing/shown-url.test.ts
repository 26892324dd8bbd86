import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shownUrl } from './shown-url.ts';

test('shown URLs keep host, path and query keys; credentials and query values are filtered', () => {
  assert.equal(shownUrl('https://hooks.example.com/in/ops'), 'https://hooks.example.com/in/ops');
  assert.equal(
    shownUrl('https://u:p@hooks.example.com/in?token=QUERYSECRET&team=ops'),
    'https://hooks.example.com/in?token=[Filtered]&team=[Filtered]',
  );
  assert.equal(shownUrl('http://127.0.0.1:9000/hook?'), 'http://127.0.0.1:9000/hook?');
  assert.equal(shownUrl('not a url'), '[Filtered]');
});
