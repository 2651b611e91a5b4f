package dev.gatehouse.rpc.protocol;

/**
 * The IPC transport's frame opcodes. A frame is {@code op} (u32 little-endian), {@code length} (u32
 * little-endian) and {@code length} bytes of UTF-8 JSON.
 */
public enum IpcOp {
    HANDSHAKE,
    FRAME,
    CLOSE,
    PING,
    PONG;

    /** Largest JSON body of one frame, either way. */
    public static final int MAX_FRAME_BYTES = 64 * 1024;

    public static IpcOp of(long code) {
        return code >= 0 && code < values().length ? values()[(int) code] : null;
    }

    public int code() {
        return ordinal();
    }
}
