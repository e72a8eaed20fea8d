-- The help desk (banban.DeskStore): conversations with their handoffs,
-- staff, teams, sessions, the outbox to outside systems and named counters.
-- Each row keeps the whole value as JSON in doc; the other columns copy
-- what queries filter and sort on. Ids that results are ordered by use the
-- "C" collation, so that PostgreSQL sorts them byte by byte, as Go and the
-- embedded store do. A conversation's messages have a table of their own,
-- so that a chat turn inserts its new messages instead of rewriting the
-- transcript (messages are append-only).

CREATE TABLE conversations (
    id           text COLLATE "C" PRIMARY KEY,
    version      bigint NOT NULL,      -- SaveConversation's optimistic lock
    messages     integer NOT NULL,     -- how many messages are stored
    last_seq     bigint NOT NULL,      -- the Seq of the last one; 0: none
    channel      text NOT NULL,
    citizen      text NOT NULL,
    state        text NOT NULL,        -- the current state, never '' (bot)
    team         text NOT NULL,
    assignee     text NOT NULL,
    ticket       text UNIQUE,          -- the latest handoff's; NULL: none
    requested_at timestamptz,          -- the latest handoff's; NULL: none
    updated      timestamptz NOT NULL,
    doc          jsonb NOT NULL        -- the banban.Conversation without its messages
);
-- The queues: a team's waiting conversations by request time.
CREATE INDEX conversations_queue ON conversations (state, team, requested_at);
-- Expiry and retention: the conversations idle since a time.
CREATE INDEX conversations_updated ON conversations (updated);

CREATE TABLE conversation_messages (
    conversation_id text COLLATE "C" NOT NULL REFERENCES conversations ON DELETE CASCADE,
    seq             integer NOT NULL,  -- the position from 1 (Message.Seq as Append numbers)
    doc             jsonb NOT NULL,    -- the banban.Message as deskrec.EncodeMessage writes it
    PRIMARY KEY (conversation_id, seq)
);

CREATE TABLE staff (
    username text COLLATE "C" PRIMARY KEY,
    doc      jsonb NOT NULL
);

CREATE TABLE teams (
    id  text COLLATE "C" PRIMARY KEY,
    doc jsonb NOT NULL
);

CREATE TABLE sessions (
    id       text PRIMARY KEY,         -- hex SHA-256 of the session token
    username text NOT NULL,
    expires  timestamptz NOT NULL,
    doc      jsonb NOT NULL
);

CREATE TABLE outbox (
    id        text COLLATE "C" PRIMARY KEY,
    created   timestamptz NOT NULL,
    next_at   timestamptz NOT NULL,
    delivered timestamptz,             -- NULL: not yet
    doc       jsonb NOT NULL           -- the whole item, payload in base64
);
-- What is due: the undelivered items by next attempt.
CREATE INDEX outbox_due ON outbox (next_at) WHERE delivered IS NULL;

-- Named counters, for ticket numbers.
CREATE TABLE counters (
    name  text PRIMARY KEY,
    value bigint NOT NULL
);
