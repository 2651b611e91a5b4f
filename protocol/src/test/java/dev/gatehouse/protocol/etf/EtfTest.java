package dev.gatehouse.protocol.etf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** ETF round trips, what other encoders send, and hostile input. */
class EtfTest {

    static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }

    @Test
    void gatewayPayloadsRoundTrip() throws Exception {
        for (String text : new String[] {
            "{\"op\":0,\"t\":\"MESSAGE_CREATE\",\"s\":12,\"d\":{\"id\":\"1574058733867200512\",\"content\":\"héllo ✓\",\"tts\":false,"
                    + "\"mentions\":[],\"embeds\":[{\"title\":\"x\"}],\"edited_timestamp\":null,\"flags\":0}}",
            "{\"op\":1,\"d\":null}", "{\"op\":1,\"d\":2147483648}", "{\"op\":2,\"d\":{\"intents\":-5,\"shard\":[0,1]}}",
            "{\"a\":1.5,\"b\":-0.25,\"c\":255,\"d\":256,\"e\":-1,\"f\":9223372036854775807,\"g\":-9223372036854775808}",
            "[]", "{}", "[[[]]]", "\"\"",
        }) {
            JsonNode before = json(text);
            JsonNode after = Etf.decode(Etf.encode(before));
            assertThat(after).as(text).isEqualTo(before);
        }
    }

    @Test
    void encodesLikeErlpack() {
        // {"op":1,"d":null} -> 131, map of 2, binary "op", small int 1, binary "d", atom nil
        byte[] b = Etf.encode(Json.mapper().createObjectNode().put("op", 1).putNull("d"));
        assertThat(b[0] & 0xFF).isEqualTo(131);
        assertThat(b[1] & 0xFF).isEqualTo(Etf.MAP_EXT);
        assertThat(b[2 + 4] & 0xFF).isEqualTo(Etf.BINARY_EXT);
        assertThat(new String(b, 2 + 4 + 5, 2)).isEqualTo("op");
        // SMALL_ATOM_EXT, not the UTF-8 atom: erlpack's decoder rejects SMALL_ATOM_UTF8_EXT
        assertThat(b[b.length - 5] & 0xFF).isEqualTo(Etf.SMALL_ATOM_EXT);
        assertThat(new String(b, b.length - 3, 3)).isEqualTo("nil");
    }

    @Test
    void decodesAtomKeysStringListsAndBigIntegers() {
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        t.write(131);
        t.write(Etf.MAP_EXT);
        t.writeBytes(new byte[] {0, 0, 0, 3});
        t.write(Etf.ATOM_EXT); // key "op" as a latin-1 atom
        t.writeBytes(new byte[] {0, 2, 'o', 'p'});
        t.write(Etf.SMALL_INTEGER_EXT);
        t.write(2);
        t.write(Etf.SMALL_ATOM_EXT); // key "id"
        t.writeBytes(new byte[] {2, 'i', 'd'});
        t.write(Etf.SMALL_BIG_EXT); // 1574058733867200512 as 8 little-endian digits
        t.write(8);
        t.write(0);
        long id = 1574058733867200512L;
        for (int i = 0; i < 8; i++) {
            t.write((int) (id >>> (8 * i)));
        }
        t.write(Etf.SMALL_ATOM_UTF8_EXT); // key "s"
        t.writeBytes(new byte[] {1, 's'});
        t.write(Etf.STRING_EXT); // "ok" as a byte list
        t.writeBytes(new byte[] {0, 2, 'o', 'k'});
        JsonNode n = Etf.decode(t.toByteArray());
        assertThat(n.get("op").intValue()).isEqualTo(2);
        assertThat(n.get("id").longValue()).isEqualTo(id);
        assertThat(n.get("s").asText()).isEqualTo("ok");
    }

    @Test
    void malformedTermsAreRefused() {
        byte[][] bad = {
            {}, {1}, {(byte) 131}, {(byte) 131, 99}, {(byte) 131, (byte) Etf.BINARY_EXT, 0x7f, 0, 0, 0},
            {(byte) 131, (byte) Etf.LIST_EXT, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff},
            {(byte) 131, (byte) Etf.MAP_EXT, 0, 0, 0, 1, (byte) Etf.NIL_EXT, (byte) Etf.NIL_EXT},
            {(byte) 131, (byte) Etf.LIST_EXT, 0, 0, 0, 1, (byte) Etf.SMALL_INTEGER_EXT, 1, (byte) Etf.SMALL_INTEGER_EXT, 2},
            {(byte) 131, (byte) Etf.SMALL_INTEGER_EXT, 1, 0},
        };
        for (byte[] b : bad) {
            assertThatThrownBy(() -> Etf.decode(b)).isInstanceOf(EtfException.class);
        }
    }

    @Test
    void deepNestingIsRefusedNotRecursedInto() {
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        t.write(131);
        for (int i = 0; i < 10_000; i++) {
            t.write(Etf.LIST_EXT);
            t.writeBytes(new byte[] {0, 0, 0, 1});
        }
        assertThatThrownBy(() -> Etf.decode(t.toByteArray())).isInstanceOf(EtfException.class).hasMessageContaining("deeper");
    }

    @Test
    void randomBytesOnlyEverFailAsEtfExceptions() {
        Random random = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[1 + random.nextInt(64)];
            random.nextBytes(b);
            b[0] = (byte) 131;
            try {
                Etf.decode(b);
            } catch (EtfException expected) {
                // the only way a bad term may fail
            }
        }
    }

    @Test
    void aDispatchAroundAPreEncodedBodyIsByteForByteTheEncodedEnvelope() throws Exception {
        String body = "{\"id\":\"1578673822943412226\",\"content\":\"h\u00e9llo\",\"n\":[1,2.5,null,true],\"big\":12345678901234}";
        for (long seq : new long[] {1, 255, 256, 70_000, 5_000_000_000L}) {
            String json = "{\"op\":0,\"t\":\"MESSAGE_CREATE\",\"s\":" + seq + ",\"d\":" + body + "}";
            byte[] whole = Etf.encode(Json.mapper().readTree(json));
            byte[] spliced = Etf.dispatch("MESSAGE_CREATE", seq, Etf.encodeTerm(Json.mapper().readTree(body)));
            assertThat(spliced).as("seq %d", seq).isEqualTo(whole);
        }
    }
}
