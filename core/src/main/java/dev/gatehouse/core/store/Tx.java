package dev.gatehouse.core.store;

/** The repositories of one transaction. */
public interface Tx {
    Users users();

    Applications applications();

    Tokens tokens();

    Guilds guilds();

    Roles roles();

    Channels channels();

    Members members();

    Bans bans();

    Invites invites();

    Messages messages();

    Reactions reactions();

    SessionStarts sessionStarts();

    OAuth2Grants oauth2();

    /** The event log: where a change publishes its events, and where nodes read what they missed. */
    EventLog events();
}
