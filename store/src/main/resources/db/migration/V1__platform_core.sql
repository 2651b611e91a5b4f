-- Gatehouse platform core. Written once for H2 (in PostgreSQL mode) and PostgreSQL alike:
-- times are Unix milliseconds in BIGINT, ids are snowflakes in BIGINT, JSON kept as text.

CREATE TABLE users (
    id              BIGINT PRIMARY KEY,
    username        VARCHAR(32)  NOT NULL,
    -- lower-cased username of people, unique; NULL for bots, whose names need not be unique
    username_key    VARCHAR(32)  UNIQUE,
    global_name     VARCHAR(32),
    avatar          VARCHAR(64),
    email           VARCHAR(254),
    email_key       VARCHAR(254) UNIQUE,
    password_hash   VARCHAR(200),
    bot             BOOLEAN      NOT NULL,
    flags           INTEGER      NOT NULL DEFAULT 0,
    created_at      BIGINT       NOT NULL
);

CREATE TABLE applications (
    id              BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    name            VARCHAR(128) NOT NULL,
    description     VARCHAR(400) NOT NULL DEFAULT '',
    owner_id        BIGINT       NOT NULL REFERENCES users (id),
    flags           INTEGER      NOT NULL DEFAULT 0,
    bot_public      BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at      BIGINT       NOT NULL
);
CREATE INDEX applications_owner ON applications (owner_id);

CREATE TABLE tokens (
    token_hash      BYTEA        PRIMARY KEY,
    user_id         BIGINT       NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at      BIGINT       NOT NULL
);
CREATE INDEX tokens_user ON tokens (user_id);

CREATE TABLE guilds (
    id                              BIGINT PRIMARY KEY,
    name                            VARCHAR(100) NOT NULL,
    icon                            VARCHAR(64),
    description                     VARCHAR(120),
    owner_id                        BIGINT       NOT NULL REFERENCES users (id),
    system_channel_id               BIGINT,
    afk_channel_id                  BIGINT,
    afk_timeout                     INTEGER      NOT NULL DEFAULT 300,
    verification_level              INTEGER      NOT NULL DEFAULT 0,
    default_message_notifications   INTEGER      NOT NULL DEFAULT 0,
    explicit_content_filter         INTEGER      NOT NULL DEFAULT 0,
    created_at                      BIGINT       NOT NULL
);

CREATE TABLE roles (
    id              BIGINT PRIMARY KEY,
    guild_id        BIGINT       NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
    name            VARCHAR(100) NOT NULL,
    color           INTEGER      NOT NULL DEFAULT 0,
    hoist           BOOLEAN      NOT NULL DEFAULT FALSE,
    position        INTEGER      NOT NULL DEFAULT 0,
    permissions     BIGINT       NOT NULL DEFAULT 0,
    managed         BOOLEAN      NOT NULL DEFAULT FALSE,
    mentionable     BOOLEAN      NOT NULL DEFAULT FALSE
);
CREATE INDEX roles_guild ON roles (guild_id);

CREATE TABLE channels (
    id                  BIGINT PRIMARY KEY,
    guild_id            BIGINT       REFERENCES guilds (id) ON DELETE CASCADE,
    type                INTEGER      NOT NULL,
    name                VARCHAR(100),
    topic               VARCHAR(1024),
    position            INTEGER      NOT NULL DEFAULT 0,
    parent_id           BIGINT,
    nsfw                BOOLEAN      NOT NULL DEFAULT FALSE,
    bitrate             INTEGER      NOT NULL DEFAULT 0,
    user_limit          INTEGER      NOT NULL DEFAULT 0,
    rate_limit_per_user INTEGER      NOT NULL DEFAULT 0,
    last_message_id     BIGINT,
    -- "<low user id>:<high user id>" for DM channels, so a pair has at most one
    dm_key              VARCHAR(41)  UNIQUE
);
CREATE INDEX channels_guild ON channels (guild_id);

CREATE TABLE overwrites (
    channel_id      BIGINT       NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    target_id       BIGINT       NOT NULL,
    type            INTEGER      NOT NULL,
    allow_bits      BIGINT       NOT NULL DEFAULT 0,
    deny_bits       BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (channel_id, target_id)
);

CREATE TABLE dm_recipients (
    channel_id      BIGINT       NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    user_id         BIGINT       NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX dm_recipients_user ON dm_recipients (user_id);

CREATE TABLE members (
    guild_id        BIGINT       NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
    user_id         BIGINT       NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    nick            VARCHAR(32),
    joined_at       BIGINT       NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);
CREATE INDEX members_user ON members (user_id);

CREATE TABLE member_roles (
    guild_id        BIGINT       NOT NULL,
    user_id         BIGINT       NOT NULL,
    role_id         BIGINT       NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    PRIMARY KEY (guild_id, user_id, role_id),
    FOREIGN KEY (guild_id, user_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE
);
CREATE INDEX member_roles_role ON member_roles (role_id);

CREATE TABLE bans (
    guild_id        BIGINT       NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
    user_id         BIGINT       NOT NULL,
    reason          VARCHAR(512),
    PRIMARY KEY (guild_id, user_id)
);

CREATE TABLE invites (
    code            VARCHAR(16)  PRIMARY KEY,
    guild_id        BIGINT       NOT NULL REFERENCES guilds (id) ON DELETE CASCADE,
    channel_id      BIGINT       NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    inviter_id      BIGINT,
    max_age         INTEGER      NOT NULL,
    max_uses        INTEGER      NOT NULL,
    uses            INTEGER      NOT NULL DEFAULT 0,
    temporary       BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at      BIGINT       NOT NULL
);
CREATE INDEX invites_guild ON invites (guild_id);
CREATE INDEX invites_channel ON invites (channel_id);

CREATE TABLE messages (
    id                  BIGINT PRIMARY KEY,
    channel_id          BIGINT        NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    guild_id            BIGINT,
    author_id           BIGINT        NOT NULL,
    content             VARCHAR(4000) NOT NULL,
    nonce               VARCHAR(100),
    type                INTEGER       NOT NULL DEFAULT 0,
    edited_at           BIGINT,
    tts                 BOOLEAN       NOT NULL DEFAULT FALSE,
    mention_everyone    BOOLEAN       NOT NULL DEFAULT FALSE,
    -- comma-separated snowflakes; read with the message, never queried by
    mentions            VARCHAR(4000) NOT NULL DEFAULT '',
    mention_roles       VARCHAR(4000) NOT NULL DEFAULT '',
    embeds              VARCHAR       NOT NULL DEFAULT '[]',
    ref_message_id      BIGINT,
    ref_channel_id      BIGINT,
    ref_guild_id        BIGINT,
    pinned              BOOLEAN       NOT NULL DEFAULT FALSE,
    flags               INTEGER       NOT NULL DEFAULT 0
);
CREATE INDEX messages_channel ON messages (channel_id, id);

CREATE TABLE reactions (
    message_id      BIGINT       NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    channel_id      BIGINT       NOT NULL,
    emoji_key       VARCHAR(100) NOT NULL,
    emoji_id        BIGINT,
    emoji_name      VARCHAR(64)  NOT NULL,
    user_id         BIGINT       NOT NULL,
    created_at      BIGINT       NOT NULL,
    PRIMARY KEY (message_id, emoji_key, user_id)
);

CREATE TABLE session_starts (
    user_id         BIGINT       NOT NULL,
    started_at      BIGINT       NOT NULL
);
CREATE INDEX session_starts_user ON session_starts (user_id, started_at);
