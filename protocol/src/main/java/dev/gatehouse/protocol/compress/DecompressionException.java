package dev.gatehouse.protocol.compress;

/**
 * The peer sent compressed data that cannot be turned into a message: corrupt, truncated, ended
 * where the transport says it never ends, or larger than the receiver allows. This is the remote
 * side breaking the protocol; the receiver's only sensible reaction is to drop the connection.
 */
public final class DecompressionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DecompressionException(String message) {
        super(message);
    }

    public DecompressionException(String message, Throwable cause) {
        super(message, cause);
    }
}
