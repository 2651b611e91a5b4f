package dev.gatehouse.core.model;

/**
 * A reaction emoji: a Unicode emoji ({@code id} null) or a custom one ({@code name:id} in routes).
 * {@link #key()} identifies it in storage and routes.
 */
public record Emoji(Long id, String name) {

    public String key() {
        return id == null ? name : name + ":" + id;
    }
}
