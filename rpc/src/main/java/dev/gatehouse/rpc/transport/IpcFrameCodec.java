package dev.gatehouse.rpc.transport;

import dev.gatehouse.rpc.protocol.IpcOp;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * IPC framing both ways: {@code op} and {@code length} as unsigned 32-bit little-endian, then the
 * JSON. A frame announcing more than {@link IpcOp#MAX_FRAME_BYTES}, or an opcode outside 0..4, is
 * reported as a {@link Fault} before any of its body is read, so a program cannot make the agent
 * buffer a huge frame.
 */
final class IpcFrameCodec extends ByteToMessageCodec<IpcFrame> {

    /** What was wrong with the bytes; the connection closes after it. */
    enum Fault { TOO_LARGE, UNKNOWN_OP }

    private boolean failed;

    @Override
    protected void encode(ChannelHandlerContext ctx, IpcFrame frame, ByteBuf out) {
        byte[] json = frame.json().getBytes(StandardCharsets.UTF_8);
        out.writeIntLE(frame.op().code());
        out.writeIntLE(json.length);
        out.writeBytes(json);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < 8) {
            return;
        }
        long op = in.getUnsignedIntLE(in.readerIndex());
        long length = in.getUnsignedIntLE(in.readerIndex() + 4);
        IpcOp known = IpcOp.of(op);
        if (known == null || length > IpcOp.MAX_FRAME_BYTES) {
            failed = true;
            in.skipBytes(in.readableBytes());
            out.add(known == null ? Fault.UNKNOWN_OP : Fault.TOO_LARGE);
            return;
        }
        if (in.readableBytes() < 8 + length) {
            return;
        }
        in.skipBytes(8);
        out.add(new IpcFrame(known, in.readCharSequence((int) length, StandardCharsets.UTF_8).toString()));
    }
}
