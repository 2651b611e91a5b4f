package dev.gatehouse.rpc.transport;

import dev.gatehouse.rpc.protocol.IpcOp;

/** One IPC frame: its opcode and its JSON body. */
record IpcFrame(IpcOp op, String json) {}
