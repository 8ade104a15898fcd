-- One row per event, in the columns of Rasa's SQL tracker store; data is
-- the event's JSON exactly as Parley wrote it.
CREATE TABLE events (
    id          BIGSERIAL PRIMARY KEY,
    sender_id   TEXT             NOT NULL,
    type_name   TEXT             NOT NULL,
    timestamp   DOUBLE PRECISION NOT NULL,
    intent_name TEXT,
    action_name TEXT,
    data        TEXT             NOT NULL
);

CREATE INDEX events_sender_id ON events (sender_id, id);

-- One row per conversation: its newest event id, for listing
-- conversations most recently active first. Appends lock the row.
CREATE TABLE conversations (
    sender_id       TEXT   PRIMARY KEY,
    latest_event_id BIGINT NOT NULL
);

CREATE INDEX conversations_latest ON conversations (latest_event_id DESC);
