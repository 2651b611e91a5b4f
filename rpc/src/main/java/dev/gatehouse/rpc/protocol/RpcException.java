package dev.gatehouse.rpc.protocol;

/** A command failed with one of the seed's RPC error codes; the message says why, for the program's developer. */
public final class RpcException extends RuntimeException {

    private final RpcError error;

    public RpcException(RpcError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public RpcException(RpcError error) {
        this(error, error.message());
    }

    public RpcError error() {
        return error;
    }
}
