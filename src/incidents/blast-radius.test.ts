import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifyBlastRadius } from './blast-radius.ts';
import { type FeatureRow, summarizeFeatures, urlFeature } from './blast-radius-features.ts';

const slugs: Record<number, string> = { 1: 'web', 2: 'api' };
const slugOf = (id: number) => slugs[id];
const features = (rows: FeatureRow[]) => summarizeFeatures(rows, 'transaction', null, slugOf);

describe('blast radius: the table of 001 phase 1', () => {
  const one = features([{ projectId: 1, value: '/checkout', count: 10 }]);
  const two = features([
    { projectId: 1, value: '/checkout', count: 6 },
    { projectId: 1, value: '/cart', count: 4 },
  ]);

  test('one user, one feature → investigate', () => {
    const blast = classifyBlastRadius({ events: 10, users: 1, features: one });
    assert.equal(blast.class, 'single_user_single_feature');
    assert.equal(blast.recommendation, 'investigate');
    assert.match(blast.reason, /^1 user, 1 feature \(\/checkout\), 10 events/);
  });

  test('many users, one feature → investigate and consider rollback', () => {
    const blast = classifyBlastRadius({ events: 10, users: 7, features: one });
    assert.equal(blast.class, 'many_users_one_feature');
    assert.equal(blast.recommendation, 'investigate_and_consider_rollback');
  });

  test('many users, many features → roll back first', () => {
    const blast = classifyBlastRadius({ events: 10, users: 2, features: two });
    assert.equal(blast.class, 'many_users_many_features');
    assert.equal(blast.recommendation, 'rollback_first');
    assert.match(blast.reason, /2 features \(\/checkout, \/cart\)/);
  });

  test('one user across features is not in the table: limited, investigate, and it says so', () => {
    const blast = classifyBlastRadius({ events: 10, users: 1, features: two });
    assert.equal(blast.class, 'single_user_many_features');
    assert.equal(blast.recommendation, 'investigate');
    assert.match(blast.reason, /no row/);
  });

  test('no user identity counts as many users; no events is no blast radius', () => {
    const unknown = classifyBlastRadius({ events: 10, users: 0, features: one });
    assert.equal(unknown.class, 'many_users_one_feature');
    assert.equal(unknown.usersKnown, false);
    assert.match(unknown.reason, /users unknown/);
    const quiet = classifyBlastRadius({ events: 0, users: 0, features: features([]) });
    assert.equal(quiet.class, 'none');
    assert.equal(quiet.recommendation, 'investigate');
  });
});

describe('features', () => {
  test('a feature under 5 % of the events is noise: listed as ignored, not counted', () => {
    const f = features([
      { projectId: 1, value: '/checkout', count: 96 },
      { projectId: 1, value: '/health', count: 4 },
    ]);
    assert.deepEqual(f.names, [{ name: '/checkout', count: 96 }]);
    assert.deepEqual(f.ignored, [{ name: '/health', count: 4 }]);
    assert.equal(f.distinct, 2);
    const exactly = features([
      { projectId: 1, value: '/checkout', count: 95 },
      { projectId: 1, value: '/cart', count: 5 },
    ]);
    assert.equal(exactly.names.length, 2);
  });

  test('several projects are several features; a project naming none counts by itself', () => {
    const f = features([
      { projectId: 1, value: '/checkout', count: 50 },
      { projectId: 2, value: null, count: 50 },
    ]);
    assert.deepEqual(f.names, [
      { name: 'api', count: 50 },
      { name: 'web:/checkout', count: 50 },
    ]);
    const projects = summarizeFeatures(
      [
        { projectId: 1, value: null, count: 3 },
        { projectId: 2, value: null, count: 1 },
      ],
      'project',
      null,
      slugOf,
    );
    assert.deepEqual(projects.names, [
      { name: 'web', count: 3 },
      { name: 'api', count: 1 },
    ]);
  });

  test('URL features are paths with identifiers collapsed', () => {
    assert.equal(urlFeature('https://shop.example.com/orders/8812/items?x=1'), '/orders/*/items');
    assert.equal(urlFeature('/u/3f2504e0-4f89-11d3-9a0c-0305e82c3301#top'), '/u/*');
    assert.equal(urlFeature('not a url'), '/not a url');
    const f = summarizeFeatures(
      [
        { projectId: 1, value: 'https://a.example/orders/1', count: 3 },
        { projectId: 1, value: 'https://a.example/orders/2', count: 2 },
      ],
      'url',
      null,
      slugOf,
    );
    assert.deepEqual(f.names, [{ name: '/orders/*', count: 5 }]);
  });
});
