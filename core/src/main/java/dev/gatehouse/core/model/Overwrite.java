package dev.gatehouse.core.model;

/** A channel permission overwrite for a role ({@link #ROLE}) or a member ({@link #MEMBER}). */
public record Overwrite(long id, int type, long allow, long deny) {
    public static final int ROLE = 0;
    public static final int MEMBER = 1;
}
