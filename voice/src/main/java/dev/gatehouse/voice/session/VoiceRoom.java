package dev.gatehouse.voice.session;

import java.util.Arrays;

/**
 * The voice sessions in one channel. Changed only under {@link VoiceRooms}' lock; the relay reads
 * {@link #members} on every packet without one, so the array is replaced, never changed.
 */
public final class VoiceRoom {

    private static final VoiceSession[] NONE = new VoiceSession[0];

    private final long guildId;
    private final long channelId;
    private volatile VoiceSession[] members = NONE;

    VoiceRoom(long guildId, long channelId) {
        this.guildId = guildId;
        this.channelId = channelId;
    }

    public long guildId() {
        return guildId;
    }

    public long channelId() {
        return channelId;
    }

    /** A snapshot: never modify. */
    public VoiceSession[] members() {
        return members;
    }

    void add(VoiceSession session) {
        VoiceSession[] now = members;
        VoiceSession[] next = Arrays.copyOf(now, now.length + 1);
        next[now.length] = session;
        members = next;
    }

    void remove(VoiceSession session) {
        members = Arrays.stream(members).filter(m -> m != session).toArray(VoiceSession[]::new);
    }

    boolean isEmpty() {
        return members.length == 0;
    }
}
