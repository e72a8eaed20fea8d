-- The queries of the help desk (desk*.go), on the tables of
-- migrations/0002_desk.sql. Each starts with a line "-- name: <name>".

-- name: conversation
-- The record and its messages in order, in one statement, so that both
-- are of one moment.
SELECT c.doc, m.docs
  FROM conversations c
 CROSS JOIN LATERAL (SELECT array_agg(doc ORDER BY seq) AS docs
                       FROM conversation_messages WHERE conversation_id = c.id) m
 WHERE c.id = $1;

-- name: conversation_by_ticket
SELECT c.doc, m.docs
  FROM conversations c
 CROSS JOIN LATERAL (SELECT array_agg(doc ORDER BY seq) AS docs
                       FROM conversation_messages WHERE conversation_id = c.id) m
 WHERE c.ticket = $1;

-- name: insert_conversation
-- A new conversation (version 0 in the caller's hands) and its messages,
-- $14; the count is 0, and nothing is written, when the id exists.
WITH conv AS (
    INSERT INTO conversations (id, version, messages, last_seq, channel, citizen, state, team, assignee,
                               ticket, requested_at, updated, doc)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
    ON CONFLICT (id) DO NOTHING
    RETURNING id
), msgs AS (
    INSERT INTO conversation_messages (conversation_id, seq, doc)
    SELECT conv.id, m.seq, m.doc FROM conv, unnest($14::jsonb[]) WITH ORDINALITY AS m(doc, seq)
)
SELECT count(*) FROM conv;

-- name: update_conversation
-- The record, and of the messages $17 (from position $15 + 1 on) those
-- after the stored ones. It writes only when the stored version is $14,
-- the caller's, and the messages the caller has ($3 of them, whose Seqs
-- are $16) extend the stored ones, of which the caller sent none: at
-- least $15 are stored, at most $3, and the last stored one has the Seq
-- the caller has at its position. The columns: whether it wrote, and the
-- stored count and last Seq (NULL when the conversation is gone or of
-- another version), for the caller to tell why not.
WITH old AS (
    SELECT messages, last_seq FROM conversations WHERE id = $1 AND version = $14
), conv AS (
    UPDATE conversations c
       SET version = $2, messages = $3, last_seq = $4, channel = $5, citizen = $6, state = $7, team = $8,
           assignee = $9, ticket = $10, requested_at = $11, updated = $12, doc = $13
      FROM old
     WHERE c.id = $1 AND c.version = $14 AND c.messages = old.messages
       AND old.messages BETWEEN $15 AND $3
       AND (old.messages = 0 OR old.last_seq = ($16::bigint[])[old.messages])
    RETURNING old.messages AS stored
), msgs AS (
    INSERT INTO conversation_messages (conversation_id, seq, doc)
    SELECT $1, $15 + m.n, m.doc
      FROM conv, unnest($17::jsonb[]) WITH ORDINALITY AS m(doc, n)
     WHERE $15 + m.n > conv.stored
)
SELECT (SELECT count(*) FROM conv), old.messages, old.last_seq
  FROM (VALUES (1)) AS one LEFT JOIN old ON true;

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

-- name: conversations_messages
-- The messages of the conversations a query listed, all in one statement.
SELECT conversation_id, doc FROM conversation_messages
 WHERE conversation_id = ANY($1)
 ORDER BY conversation_id, seq;

-- name: delete_conversations
-- Their messages go with them (ON DELETE CASCADE).
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
