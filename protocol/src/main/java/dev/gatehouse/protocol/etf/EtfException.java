package dev.gatehouse.protocol.etf;

/** Input that is not a well-formed term of the subset the gateway takes. */
public final class EtfException extends RuntimeException {

    public EtfException(String message) {
        super(message);
    }
}
