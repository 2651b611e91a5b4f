-- OAuth2 for people: an application's client secret and where it may send browsers and accept
-- RPC connections from, authorisation codes (single use, minutes), and the access and refresh
-- tokens they turn into. Secrets, codes and tokens are stored as SHA-256 hashes only.
CREATE TABLE oauth2_clients (
    application_id  BIGINT PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
    secret_hash     BYTEA,
    -- newline-separated lists: URIs and origins cannot hold a newline (validated)
    redirect_uris   VARCHAR(20000) NOT NULL DEFAULT '',
    rpc_origins     VARCHAR(20000) NOT NULL DEFAULT ''
);

CREATE TABLE oauth2_codes (
    code_hash       BYTEA        PRIMARY KEY,
    application_id  BIGINT       NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    user_id         BIGINT       NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    scopes          VARCHAR(1000) NOT NULL,
    redirect_uri    VARCHAR(2000),
    expires_at      BIGINT       NOT NULL
);

CREATE TABLE oauth2_tokens (
    id              BIGINT       PRIMARY KEY,
    access_hash     BYTEA        NOT NULL UNIQUE,
    refresh_hash    BYTEA        UNIQUE,
    application_id  BIGINT       NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    user_id         BIGINT       NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    scopes          VARCHAR(1000) NOT NULL,
    expires_at      BIGINT       NOT NULL,
    created_at      BIGINT       NOT NULL
);
CREATE INDEX oauth2_tokens_user ON oauth2_tokens (user_id, application_id);
