package dev.gatehouse.core.limit;

/** {@link WindowCounters} in this process's memory: bounded and swept ({@link FixedWindows}). */
public final class LocalWindowCounters implements WindowCounters {

    private final FixedWindows<String> windows;

    public LocalWindowCounters(int maxKeys, long sweepEveryMillis) {
        this.windows = new FixedWindows<>(maxKeys, sweepEveryMillis);
    }

    @Override
    public Window hit(String key, long windowMillis, long now) {
        return of(windows.hit(key, windowMillis, now));
    }

    @Override
    public Window peek(String key, long now) {
        FixedWindows.Window w = windows.peek(key, now);
        return w == null ? null : of(w);
    }

    @Override
    public void forget(String key) {
        windows.forget(key);
    }

    /** Keys held now. */
    public int size() {
        return windows.size();
    }

    private static Window of(FixedWindows.Window w) {
        return new Window(w.count(), w.resetAt());
    }
}
