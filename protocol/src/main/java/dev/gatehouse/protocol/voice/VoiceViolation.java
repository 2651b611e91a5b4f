package dev.gatehouse.protocol.voice;

/** A voice payload broke the contract; carries the close code and the reason sent with it. */
public final class VoiceViolation extends Exception {

    private final VoiceCloseCode code;

    public VoiceViolation(VoiceCloseCode code, String reason) {
        super(reason, null, false, false);
        this.code = code;
    }

    public VoiceCloseCode code() {
        return code;
    }

    public String reason() {
        return getMessage();
    }
}
