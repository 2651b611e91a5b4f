package dev.gatehouse.rpc.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.rpc.session.RpcApplication;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConsoleApproverTest {

    static final RpcApplication CHESS = new RpcApplication(500, "Chess", List.of());
    static final RpcApplication OTHER = new RpcApplication(501, "Other", List.of());

    @Test
    void theAllowListIsApprovedWithoutAsking() throws Exception {
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        try (ConsoleApprover approver = new ConsoleApprover(Set.of(500L), new BufferedReader(new StringReader("")),
                new PrintStream(shown, true, StandardCharsets.UTF_8), Duration.ofSeconds(5))) {
            assertThat(approver.authorize(CHESS, List.of("rpc")).get()).isTrue();
        }
        assertThat(shown.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void thePersonAnswersInTheTerminalOneQuestionAtATime() throws Exception {
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        try (ConsoleApprover approver = new ConsoleApprover(Set.of(), new BufferedReader(new StringReader("y\nno\n\n")),
                new PrintStream(shown, true, StandardCharsets.UTF_8), Duration.ofSeconds(5))) {
            var first = approver.authorize(CHESS, List.of("rpc", "identify"));
            var second = approver.authorize(OTHER, List.of("rpc"));
            var third = approver.authorize(OTHER, List.of("rpc"));
            assertThat(first.get()).isTrue();
            assertThat(second.get()).isFalse();
            assertThat(third.get()).as("an empty answer is no").isFalse();
            assertThat(approver.authorize(OTHER, List.of("rpc")).get()).as("the terminal closed").isFalse();
        }
        assertThat(shown.toString(StandardCharsets.UTF_8)).contains("Allow \"Chess\" (application 500) to use your account with: rpc, identify? [y/N]");
    }

    @Test
    void withoutATerminalOnlyTheAllowListIsApproved() throws Exception {
        try (ConsoleApprover approver = new ConsoleApprover(Set.of(500L), null, System.out, Duration.ofSeconds(5))) {
            assertThat(approver.authorize(CHESS, List.of("rpc")).get()).isTrue();
            assertThat(approver.authorize(OTHER, List.of("rpc")).get()).isFalse();
        }
    }

    @Test
    void anUnansweredQuestionIsANoAndProgramsCannotRewriteIt() throws Exception {
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        java.io.PipedWriter never = new java.io.PipedWriter();
        try (ConsoleApprover approver = new ConsoleApprover(Set.of(), new BufferedReader(new java.io.PipedReader(never)),
                new PrintStream(shown, true, StandardCharsets.UTF_8), Duration.ofMillis(200))) {
            RpcApplication sneaky = new RpcApplication(502, "Chess\r\u001b[2KSystem update", List.of());
            assertThat(approver.connect(sneaky, "https://chess.example").get()).as("no answer in time").isFalse();
        }
        assertThat(shown.toString(StandardCharsets.UTF_8)).contains("Chess??[2KSystem update").doesNotContain("\u001b");
    }
}
