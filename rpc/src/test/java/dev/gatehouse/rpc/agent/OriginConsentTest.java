package dev.gatehouse.rpc.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.gatehouse.rpc.session.RpcApplication;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A web page's origin is asked about once per run: the answer is kept, and an open question is shared. */
class OriginConsentTest {

    static final RpcApplication QUIZ = new RpcApplication(503, "Quiz", List.of("https://quiz.example"));

    @Test
    void thePersonIsAskedOncePerApplicationAndOrigin() {
        AtomicInteger asked = new AtomicInteger();
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        Approver person = new Approver() {
            @Override
            public CompletableFuture<Boolean> authorize(RpcApplication application, List<String> scopes) {
                return CompletableFuture.completedFuture(false);
            }

            @Override
            public CompletableFuture<Boolean> connect(RpcApplication application, String origin) {
                asked.incrementAndGet();
                return answer;
            }
        };
        PersonAccount account = new PersonAccount(null, Runnable::run, person, new PersonState(Runnable::run),
                JsonNodeFactory.instance.objectNode());
        CompletableFuture<Boolean> first = account.admitOrigin(QUIZ, "https://quiz.example");
        CompletableFuture<Boolean> whileOpen = account.admitOrigin(QUIZ, "https://quiz.example");
        assertThat(asked).as("one question for both connections").hasValue(1);
        answer.complete(false);
        assertThat(first.join()).isFalse();
        assertThat(whileOpen.join()).isFalse();
        assertThat(account.admitOrigin(QUIZ, "https://quiz.example").join()).as("a no is kept").isFalse();
        assertThat(asked).hasValue(1);
        account.admitOrigin(QUIZ, "https://other.example");
        assertThat(asked).as("another origin is another question").hasValue(2);
    }
}
