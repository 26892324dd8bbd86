/**
 * Every identity (id, email, username, ip) of each user a project has seen with several, keyed by
 * the user's key (its first identity, what `issue_users` and the `user` tag hold). Issue search's
 * `user.email:…` finds the keys here by value (`has:` by key), then the issues by their `user` tag
 * values. One row per user and identity, not per event: ingest writes only what it has not seen.
 * Filled from the stored events that carry several identities (schema 19 on), their values cut as
 * ingest now cuts them (128 characters; a key as its `user` tag, 200), so each fits an index entry.
 */
export const MIGRATION_0021_USER_IDENTITIES = `
  CREATE TABLE user_identities (
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    user_key TEXT NOT NULL,
    PRIMARY KEY (project_id, field, value, user_key)
  ) WITHOUT ROWID;
  CREATE INDEX user_identities_user ON user_identities (project_id, user_key, field);
  INSERT OR IGNORE INTO user_identities (project_id, field, value, user_key)
    SELECT e.project_id, j.key, substr(trim(j.value), 1, 128), substr(trim(e.user_key), 1, 200)
    FROM events e, json_each(e.user_fields) j
    WHERE e.user_fields IS NOT NULL AND e.user_key IS NOT NULL AND j.type = 'text'
      AND trim(j.value) <> '';
`;
