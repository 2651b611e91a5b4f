package dev.gatehouse.protocol.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.protocol.Dialect;
import dev.gatehouse.protocol.gateway.CloseCode.ClientAction;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The close-code table of docs/PROTOCOL.md §6, row by row. */
class CloseCodeTest {

    @Test
    void theTableHasExactlyTheContractsCodes() {
        assertThat(Arrays.stream(CloseCode.values()).map(CloseCode::code).collect(Collectors.toSet()))
                .isEqualTo(Set.of(4000, 4001, 4002, 4003, 4004, 4005, 4007, 4008, 4009, 4010, 4011, 4012, 4013, 4014));
    }

    @Test
    void theServerEndsTheSessionOnlyWhereTheTableSays() {
        Set<Integer> ending = Arrays.stream(CloseCode.values()).filter(CloseCode::endsSession).map(CloseCode::code)
                .collect(Collectors.toSet());
        assertThat(ending).isEqualTo(Set.of(4004, 4007, 4008, 4010, 4011, 4012, 4013, 4014));
    }

    @Test
    void clientActionsFollowTheTable() {
        for (Dialect d : Dialect.values()) {
            for (int code : new int[] {4000, 4001, 4002, 4003, 4005, 4009}) {
                assertThat(CloseCode.clientActionFor(d, code)).as("%s %d", d, code).isEqualTo(ClientAction.RESUME);
            }
            assertThat(CloseCode.clientActionFor(d, 4004)).isEqualTo(ClientAction.STOP);
            assertThat(CloseCode.clientActionFor(d, 4007)).isEqualTo(ClientAction.IDENTIFY);
            assertThat(CloseCode.clientActionFor(d, 4008)).isEqualTo(ClientAction.IDENTIFY_AFTER_WAIT);
            assertThat(CloseCode.clientActionFor(d, 4010)).isEqualTo(ClientAction.STOP);
            assertThat(CloseCode.clientActionFor(d, 4011)).isEqualTo(ClientAction.STOP);
            assertThat(CloseCode.clientActionFor(d, 4012)).isEqualTo(ClientAction.STOP);
        }
        assertThat(CloseCode.clientActionFor(Dialect.FLUXER, 4013)).isEqualTo(ClientAction.IDENTIFY);
        assertThat(CloseCode.clientActionFor(Dialect.DISCORD, 4013)).isEqualTo(ClientAction.STOP);
        assertThat(CloseCode.clientActionFor(Dialect.DISCORD, 4014)).isEqualTo(ClientAction.STOP);
    }

    @Test
    void codesNoTableListsStillHaveAMeaning() {
        // 4014 is not a fluxer code; 4006 and 4015+ are nobody's: the session cannot be trusted
        assertThat(CloseCode.clientActionFor(Dialect.FLUXER, 4014)).isEqualTo(ClientAction.IDENTIFY);
        assertThat(CloseCode.clientActionFor(Dialect.DISCORD, 4006)).isEqualTo(ClientAction.IDENTIFY);
        assertThat(CloseCode.clientActionFor(Dialect.DISCORD, 4999)).isEqualTo(ClientAction.IDENTIFY);
        // transport closes say nothing about the session
        assertThat(CloseCode.clientActionFor(Dialect.DISCORD, 1006)).isEqualTo(ClientAction.RESUME);
        assertThat(CloseCode.clientActionFor(Dialect.FLUXER, 1012)).isEqualTo(ClientAction.RESUME);
        assertThat(CloseCode.of(1000)).isNull();
    }

    @Test
    void fourThousandThirteenMeansSomethingDifferentPerDialect() {
        assertThat(CloseCode.CODE_4013.meaning(Dialect.FLUXER)).isEqualTo("Acknowledgement backpressure");
        assertThat(CloseCode.CODE_4013.meaning(Dialect.DISCORD)).isEqualTo("Invalid intent(s)");
        assertThat(CloseCode.DISALLOWED_INTENTS.existsIn(Dialect.FLUXER)).isFalse();
    }

    @Test
    void onlyTheDialectsOpcodesAreAcceptedFromClients() {
        for (Dialect d : Dialect.values()) {
            for (int op = -1; op <= 20; op++) {
                boolean expected = Set.of(1, 2, 3, 4, 6, 8).contains(op) || (op == 14 && d == Dialect.FLUXER);
                Opcode opcode = Opcode.of(op);
                assertThat(opcode != null && opcode.acceptedFromClient(d)).as("%s op %d", d, op).isEqualTo(expected);
                if (opcode != null) {
                    assertThat(opcode.code()).isEqualTo(op);
                }
            }
        }
    }
}
