package dev.gatehouse.protocol.etf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Erlang's external term format as Discord's gateway uses it ({@code encoding=etf}), converted to
 * and from the JSON trees the rest of the gateway works with. Strings travel as binaries, object
 * keys too; {@code null}, {@code true} and {@code false} as the atoms {@code nil}, {@code true} and
 * {@code false}; integers as small, 32-bit or big integers; doubles as new floats. Decoding also
 * takes what other encoders send: atom keys, string (byte list) values, {@code null} as an atom.
 * Decoding is bounded: nesting depth and lengths are checked against the input, so a hostile frame
 * fails with {@link EtfException} instead of allocating or recursing without end.
 */
public final class Etf {

    static final int VERSION = 131;
    static final int NEW_FLOAT_EXT = 70;
    static final int SMALL_INTEGER_EXT = 97;
    static final int INTEGER_EXT = 98;
    static final int ATOM_EXT = 100;
    static final int NIL_EXT = 106;
    static final int STRING_EXT = 107;
    static final int LIST_EXT = 108;
    static final int BINARY_EXT = 109;
    static final int SMALL_BIG_EXT = 110;
    static final int LARGE_BIG_EXT = 111;
    static final int MAP_EXT = 116;
    static final int ATOM_UTF8_EXT = 118;
    static final int SMALL_ATOM_UTF8_EXT = 119;
    static final int SMALL_ATOM_EXT = 115;
    static final int SMALL_TUPLE_EXT = 104;

    /** Deeper than any gateway payload; a guard against stack exhaustion. */
    static final int MAX_DEPTH = 64;

    private Etf() {}

    // ---- encoding ----------------------------------------------------------------------------

    public static byte[] encode(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(VERSION);
        write(node, out);
        return out.toByteArray();
    }

    /** A term without the version byte, to be placed inside a larger one ({@link #dispatch}). */
    public static byte[] encodeTerm(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(node, out);
        return out.toByteArray();
    }

    /**
     * The dispatch envelope {@code {op: 0, t: type, s: seq, d: ...}} around a body already encoded
     * with {@link #encodeTerm}: byte for byte what {@link #encode} makes of the JSON envelope, so a
     * body shared by many sessions is converted once, not once per session.
     */
    public static byte[] dispatch(String type, long seq, byte[] bodyTerm) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bodyTerm.length + 48);
        out.write(VERSION);
        out.write(MAP_EXT);
        int32(4, out);
        binary("op", out);
        number(IntNode.valueOf(0), out);
        binary("t", out);
        binary(type, out);
        binary("s", out);
        number(LongNode.valueOf(seq), out);
        binary("d", out);
        out.writeBytes(bodyTerm);
        return out.toByteArray();
    }

    private static void write(JsonNode node, ByteArrayOutputStream out) {
        switch (node.getNodeType()) {
            case NULL, MISSING -> atom("nil", out);
            case BOOLEAN -> atom(node.booleanValue() ? "true" : "false", out);
            case STRING -> binary(node.textValue(), out);
            case NUMBER -> number(node, out);
            case ARRAY -> {
                if (node.isEmpty()) {
                    out.write(NIL_EXT);
                    return;
                }
                out.write(LIST_EXT);
                int32(node.size(), out);
                for (JsonNode item : node) {
                    write(item, out);
                }
                out.write(NIL_EXT);
            }
            case OBJECT -> {
                out.write(MAP_EXT);
                int32(node.size(), out);
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    binary(e.getKey(), out);
                    write(e.getValue(), out);
                }
            }
            default -> throw new IllegalArgumentException("cannot encode " + node.getNodeType() + " as ETF");
        }
    }

    private static void number(JsonNode node, ByteArrayOutputStream out) {
        if (node.isFloatingPointNumber()) {
            out.write(NEW_FLOAT_EXT);
            long bits = Double.doubleToLongBits(node.doubleValue());
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (bits >>> shift));
            }
            return;
        }
        BigInteger value = node.bigIntegerValue();
        if (value.signum() >= 0 && value.compareTo(BigInteger.valueOf(255)) <= 0) {
            out.write(SMALL_INTEGER_EXT);
            out.write(value.intValue());
        } else if (value.bitLength() < 32) {
            out.write(INTEGER_EXT);
            int32(value.intValue(), out);
        } else {
            byte[] magnitude = value.abs().toByteArray(); // big-endian, maybe a leading zero
            int start = magnitude[0] == 0 ? 1 : 0;
            int n = magnitude.length - start;
            if (n > 255) {
                throw new IllegalArgumentException("integer too large for SMALL_BIG_EXT");
            }
            out.write(SMALL_BIG_EXT);
            out.write(n);
            out.write(value.signum() < 0 ? 1 : 0);
            for (int i = magnitude.length - 1; i >= start; i--) {
                out.write(magnitude[i]); // little-endian digits
            }
        }
    }

    /**
     * Latin-1 {@code SMALL_ATOM_EXT}, as Discord sends its atoms: erlpack, which many libraries use,
     * does not know the UTF-8 atom tags. Our atoms are nil, true and false, all ASCII.
     */
    private static void atom(String name, ByteArrayOutputStream out) {
        byte[] bytes = name.getBytes(StandardCharsets.ISO_8859_1);
        out.write(SMALL_ATOM_EXT);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }

    private static void binary(String text, ByteArrayOutputStream out) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(BINARY_EXT);
        int32(bytes.length, out);
        out.writeBytes(bytes);
    }

    private static void int32(int v, ByteArrayOutputStream out) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    // ---- decoding ----------------------------------------------------------------------------

    /** Decodes one term; trailing bytes, unknown tags, bad lengths and deep nesting are errors. */
    public static JsonNode decode(byte[] data) {
        Reader r = new Reader(data);
        if (r.u8() != VERSION) {
            throw new EtfException("not ETF: the first byte must be 131");
        }
        JsonNode node = r.term(0);
        if (r.pos != data.length) {
            throw new EtfException("trailing bytes after the term");
        }
        return node;
    }

    private static final class Reader {
        private final byte[] data;
        private int pos;

        Reader(byte[] data) {
            this.data = data;
        }

        JsonNode term(int depth) {
            if (depth > MAX_DEPTH) {
                throw new EtfException("nested deeper than " + MAX_DEPTH);
            }
            JsonNodeFactory f = JsonNodeFactory.instance;
            int tag = u8();
            return switch (tag) {
                case SMALL_INTEGER_EXT -> f.numberNode(u8());
                case INTEGER_EXT -> f.numberNode(i32());
                case NEW_FLOAT_EXT -> f.numberNode(Double.longBitsToDouble(i64()));
                case SMALL_BIG_EXT -> big(u8());
                case LARGE_BIG_EXT -> big(length(i32()));
                case ATOM_EXT, ATOM_UTF8_EXT -> atom(text(length(u16())));
                case SMALL_ATOM_EXT, SMALL_ATOM_UTF8_EXT -> atom(text(u8()));
                case BINARY_EXT -> f.textNode(text(length(i32())));
                case STRING_EXT -> f.textNode(text(length(u16())));
                case NIL_EXT -> f.arrayNode();
                case LIST_EXT -> list(length(i32()), depth, true);
                case SMALL_TUPLE_EXT -> list(u8(), depth, false);
                case MAP_EXT -> map(length(i32()), depth);
                default -> throw new EtfException("unsupported ETF tag " + tag);
            };
        }

        private JsonNode list(int n, int depth, boolean tail) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < n; i++) {
                array.add(term(depth + 1));
            }
            if (tail) {
                JsonNode end = term(depth + 1);
                if (!end.isArray() || !end.isEmpty()) {
                    throw new EtfException("improper lists are not supported");
                }
            }
            return array;
        }

        private JsonNode map(int n, int depth) {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            for (int i = 0; i < n; i++) {
                JsonNode key = term(depth + 1);
                if (!key.isTextual() && !key.isNumber()) {
                    throw new EtfException("map keys must be atoms, strings or numbers");
                }
                object.set(key.asText(), term(depth + 1));
            }
            return object;
        }

        private JsonNode atom(String name) {
            JsonNodeFactory f = JsonNodeFactory.instance;
            return switch (name) {
                case "nil", "null" -> f.nullNode();
                case "true" -> f.booleanNode(true);
                case "false" -> f.booleanNode(false);
                default -> f.textNode(name);
            };
        }

        private JsonNode big(int n) {
            int sign = u8();
            byte[] digits = bytes(n);
            byte[] bigEndian = new byte[n + 1];
            for (int i = 0; i < n; i++) {
                bigEndian[n - i] = digits[i];
            }
            BigInteger v = new BigInteger(bigEndian);
            v = sign == 0 ? v : v.negate();
            return v.bitLength() < 64 ? JsonNodeFactory.instance.numberNode(v.longValue()) : JsonNodeFactory.instance.numberNode(v);
        }

        /** A length that must fit in what is left: no allocation beyond the input's own size. */
        private int length(long n) {
            if (n < 0 || n > data.length - pos) {
                throw new EtfException("length " + n + " runs past the end of the term");
            }
            return (int) n;
        }

        private String text(int n) {
            return new String(bytes(n), StandardCharsets.UTF_8);
        }

        private byte[] bytes(int n) {
            if (n > data.length - pos) {
                throw new EtfException("truncated term");
            }
            byte[] out = new byte[n];
            System.arraycopy(data, pos, out, 0, n);
            pos += n;
            return out;
        }

        int u8() {
            if (pos >= data.length) {
                throw new EtfException("truncated term");
            }
            return data[pos++] & 0xFF;
        }

        private int u16() {
            return (u8() << 8) | u8();
        }

        private int i32() {
            return (u8() << 24) | (u8() << 16) | (u8() << 8) | u8();
        }

        private long i64() {
            return ((long) i32() << 32) | (i32() & 0xFFFFFFFFL);
        }
    }
}
