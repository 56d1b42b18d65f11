-- Sync (DESIGN §5). A client is one laptop installation, bound to the user who
-- first pushed from it. Each pushed mutation is kept with the answer given, so
-- a replay gets the same answer. `entities` holds each record's merged state:
-- its fields, the clock that won each field, and its scope facts. `changes` is
-- the one ordered feed laptops pull.

CREATE TABLE clients (
    client_id        UUID PRIMARY KEY,
    user_id          UUID NOT NULL REFERENCES users (id),
    last_mutation_id BIGINT NOT NULL DEFAULT 0,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE mutations (
    client_id   UUID NOT NULL REFERENCES clients (client_id),
    mutation_id BIGINT NOT NULL,
    op_uuid     UUID NOT NULL UNIQUE,
    outcome     JSONB NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (client_id, mutation_id)
);

CREATE TABLE entities (
    entity        TEXT NOT NULL,
    entity_id     UUID NOT NULL,
    owner_id      UUID,
    department_id UUID,
    location_id   UUID,
    fields        JSONB NOT NULL DEFAULT '{}',
    clocks        JSONB NOT NULL DEFAULT '{}',
    version       BIGINT NOT NULL DEFAULT 1,
    last_user_id  UUID,
    PRIMARY KEY (entity, entity_id)
);

CREATE TABLE changes (
    seq           BIGSERIAL PRIMARY KEY,
    entity        TEXT NOT NULL,
    entity_id     UUID NOT NULL,
    kind          TEXT NOT NULL,
    payload       JSONB NOT NULL,
    hlc           TEXT NOT NULL,
    client_id     UUID NOT NULL,
    op_uuid       UUID NOT NULL UNIQUE,
    user_id       UUID NOT NULL,
    view_action   TEXT NOT NULL,
    owner_id      UUID,
    department_id UUID,
    location_id   UUID,
    committed_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
