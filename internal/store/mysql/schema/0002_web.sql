-- The web app's tables, as PostgreSQL and SQLite have them (see there):
-- browser sessions (web_sessions), inspector logins with bcrypt hashes
-- (web_users) and the login throttle shared by every process
-- (web_login_throttle, keyed by the SHA-256 of user name and address).
CREATE TABLE web_sessions (
    id_hash         VARCHAR(64)  NOT NULL PRIMARY KEY,
    conversation_id VARCHAR(255) NOT NULL,
    user_name       VARCHAR(64)  NOT NULL DEFAULT '',
    created_at      BIGINT       NOT NULL,
    last_seen       BIGINT       NOT NULL,
    INDEX web_sessions_last_seen (last_seen)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE web_users (
    name          VARCHAR(64)  NOT NULL PRIMARY KEY,
    password_hash VARCHAR(255) NOT NULL,
    created_at    BIGINT       NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE web_login_throttle (
    key_hash     CHAR(64)     NOT NULL PRIMARY KEY,
    failures     VARCHAR(255) NOT NULL DEFAULT '',
    locked_until BIGINT       NOT NULL DEFAULT 0,
    lockout_ms   BIGINT       NOT NULL DEFAULT 0,
    last_active  BIGINT       NOT NULL DEFAULT 0,
    INDEX web_login_throttle_last_active (last_active)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
