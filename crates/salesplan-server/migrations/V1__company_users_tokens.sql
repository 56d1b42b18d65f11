-- Head office (DESIGN §5): the company, its users (the source of truth once a
-- laptop is connected) and the sign-in tokens laptops hold.

-- One row per fact about this server: its company, and its epoch (a new epoch
-- after a restore from backup sends laptops back to bootstrap).
CREATE TABLE server_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE users (
    id            UUID PRIMARY KEY,
    username      TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    role          SMALLINT NOT NULL CHECK (role BETWEEN 1 AND 5),
    department_id UUID,
    location_id   UUID,
    password_hash TEXT NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username ON users (lower(username));

-- A token is shown once at sign-in; only its BLAKE2b-256 hash is kept.
CREATE TABLE tokens (
    id         UUID PRIMARY KEY,
    user_id    UUID NOT NULL REFERENCES users (id),
    token_hash BYTEA NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX tokens_user ON tokens (user_id);
