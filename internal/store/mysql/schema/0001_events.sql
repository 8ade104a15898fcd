-- One row per event, in the columns of Rasa's SQL tracker store; data is
-- the event's JSON exactly as Parley wrote it.
CREATE TABLE events (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    sender_id   VARCHAR(255) NOT NULL,
    type_name   VARCHAR(255) NOT NULL,
    `timestamp` DOUBLE       NOT NULL,
    intent_name VARCHAR(255),
    action_name VARCHAR(255),
    data        LONGTEXT     NOT NULL,
    INDEX events_sender_id (sender_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per conversation: its newest event id, for listing
-- conversations most recently active first. Appends lock the row.
CREATE TABLE conversations (
    sender_id       VARCHAR(255) NOT NULL PRIMARY KEY,
    latest_event_id BIGINT       NOT NULL,
    INDEX conversations_latest (latest_event_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
