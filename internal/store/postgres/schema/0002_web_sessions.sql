-- The web app's tables. web_sessions holds one row per browser session:
-- the SHA-256 of the random id that the signed cookie carries (never the id
-- itself), the conversation it chats in, the inspector user logged in with
-- it (empty when none), and unix seconds of creation and last use.
-- web_users holds the inspector logins that `parley user add` creates, with
-- bcrypt password hashes. The same tables as Parley's SQLite store, so that
-- the web app's SQL ($n placeholders) runs on either.
CREATE TABLE web_sessions (
    id_hash         TEXT   PRIMARY KEY,
    conversation_id TEXT   NOT NULL,
    user_name       TEXT   NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    last_seen       BIGINT NOT NULL
);

CREATE INDEX web_sessions_last_seen ON web_sessions (last_seen);

CREATE TABLE web_users (
    name          TEXT   PRIMARY KEY,
    password_hash TEXT   NOT NULL,
    created_at    BIGINT NOT NULL
);
