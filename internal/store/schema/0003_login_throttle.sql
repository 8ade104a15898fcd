-- The web app's login throttle, shared by every process on this database.
-- One row per user name and client address, keyed by the SHA-256 of both
-- (never the typed name itself): failures holds the unix milliseconds of
-- the latest failed logins, space separated, oldest first; locked_until
-- and lockout_ms the current lockout; last_active the later of the last
-- failure and the lockout's end, for removing quiet rows.
CREATE TABLE web_login_throttle (
    key_hash     TEXT    PRIMARY KEY,
    failures     TEXT    NOT NULL DEFAULT '',
    locked_until BIGINT  NOT NULL DEFAULT 0,
    lockout_ms   BIGINT  NOT NULL DEFAULT 0,
    last_active  BIGINT  NOT NULL DEFAULT 0
);

CREATE INDEX web_login_throttle_last_active ON web_login_throttle (last_active);
