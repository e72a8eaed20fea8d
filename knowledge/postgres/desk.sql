-- The queries of the help desk (desk*.go), on the tables of
-- migrations/0002_desk.sql. Each starts with a line "-- name: <name>".

-- name: conversation
SELECT doc FROM conversations WHERE id = $1;

-- name: conversation_by_ticket
SELECT doc FROM conversations WHERE ticket = $1;

-- name: insert_conversation
-- A new conversation (version 0 in the caller's hands): no row when the
-- id exists.
INSERT INTO conversations (id, version, channel, citizen, state, team, assignee, ticket, requested_at, updated, doc)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
ON CONFLICT (id) DO NOTHING;

-- name: update_conversation
-- No row when the stored version is not $12, the caller's, or the
-- conversation is gone.
UPDATE conversations
   SET version = $2, channel = $3, citizen = $4, state = $5, team = $6, assignee = $7,
       ticket = $8, requested_at = $9, updated = $10, doc = $11
 WHERE id = $1 AND version = $12;

-- name: conversations
-- The query's conditions, joined by AND, replace the marker after WHERE;
-- $1 is the limit. The
-- waiting conversations come first, oldest request first; the others most
-- recently updated first; ties by id.
SELECT doc FROM conversations
 WHERE {where}
 ORDER BY state <> 'waiting',
          CASE WHEN state = 'waiting' THEN requested_at END NULLS FIRST,
          CASE WHEN state <> 'waiting' THEN updated END DESC,
          id
 LIMIT $1;

-- name: delete_conversations
DELETE FROM conversations WHERE id = ANY($1);

-- name: next_seq
INSERT INTO counters (name, value) VALUES ($1, 1)
ON CONFLICT (name) DO UPDATE SET value = counters.value + 1
RETURNING value;

-- name: put_staff
INSERT INTO staff (username, doc) VALUES ($1, $2)
ON CONFLICT (username) DO UPDATE SET doc = excluded.doc;

-- name: staff_member
SELECT doc FROM staff WHERE username = $1;

-- name: staff_list
SELECT doc FROM staff ORDER BY username;

-- name: put_team
INSERT INTO teams (id, doc) VALUES ($1, $2)
ON CONFLICT (id) DO UPDATE SET doc = excluded.doc;

-- name: teams
SELECT doc FROM teams ORDER BY id;

-- name: put_session
INSERT INTO sessions (id, username, expires, doc) VALUES ($1, $2, $3, $4)
ON CONFLICT (id) DO UPDATE SET username = excluded.username, expires = excluded.expires, doc = excluded.doc;

-- name: session
SELECT doc FROM sessions WHERE id = $1;

-- name: delete_session
DELETE FROM sessions WHERE id = $1;

-- name: insert_outbox
INSERT INTO outbox (id, created, next_at, delivered, doc) VALUES ($1, $2, $3, $4, $5);

-- name: due_outbox
SELECT doc FROM outbox
 WHERE delivered IS NULL AND next_at <= $1
 ORDER BY created, id
 LIMIT $2;

-- name: update_outbox
-- $4 holds the delivery fields of the item's JSON, which replace the
-- stored ones.
UPDATE outbox SET next_at = $2, delivered = $3, doc = doc || $4::jsonb WHERE id = $1;
