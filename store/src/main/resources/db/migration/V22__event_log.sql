-- The event log (docs/ARCHITECTURE.md, "Events"): every gateway event a change makes is written in
-- the change's transaction, numbered per stream (a guild, or a user for what is addressed to users
-- alone), so no committed change loses its events and every node can read what its bus missed.

-- One row per stream: its newest version. Taking a version locks the row until the commit, so the
-- versions of a stream are gapless and commit in order, whichever process writes.
CREATE TABLE event_streams (
    stream      BIGINT PRIMARY KEY,
    version     BIGINT NOT NULL,
    changed_at  BIGINT NOT NULL
);
CREATE INDEX event_streams_changed ON event_streams (changed_at);

CREATE TABLE event_log (
    stream        BIGINT       NOT NULL,
    version       BIGINT       NOT NULL,
    -- the guild's version the event stands at: its own on a guild's stream, the guild's at the
    -- join for a GUILD_CREATE on a user's stream, 0 for events about no guild
    guild_version BIGINT       NOT NULL,
    type          VARCHAR(64)  NOT NULL,
    guild_id      BIGINT,
    channel_id    BIGINT,
    -- comma-separated: the users a directed event is addressed to
    user_ids      VARCHAR(4000),
    body          BYTEA        NOT NULL,
    created_at    BIGINT       NOT NULL,
    PRIMARY KEY (stream, version)
);
CREATE INDEX event_log_created ON event_log (created_at);
