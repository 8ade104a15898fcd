-- Conversation event log, one row per event, in the layout of Rasa's SQL
-- tracker store: the full event JSON in data, and a few columns copied out
-- of it for queries.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    sender_id   TEXT    NOT NULL,
    type_name   TEXT    NOT NULL,
    timestamp   REAL    NOT NULL,
    intent_name TEXT,
    action_name TEXT,
    data        TEXT    NOT NULL
);

CREATE INDEX events_sender_id ON events (sender_id, id);
