package dev.gatehouse.compat;

/**
 * What a library told its bot, reduced to what the scenarios compare: the event's kind, the id it
 * is about (a message id, the close code of a voice disconnect; 0 when none) and the content it
 * carried (null when none).
 */
record BotEvent(Kind kind, long id, String content) {

    enum Kind {
        /** The library finished starting (or identified again: a new session). */
        READY,
        /** The library resumed its session. */
        RESUMED,
        MESSAGE_CREATE,
        MESSAGE_UPDATE,
        MESSAGE_DELETE,
        /** The library's voice connection was closed by the server; the id is the close code. */
        VOICE_DISCONNECTED
    }
}
