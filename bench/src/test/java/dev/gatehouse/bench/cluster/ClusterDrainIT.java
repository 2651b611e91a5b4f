package dev.gatehouse.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The drain as the cluster benchmark runs it, small enough for every build: three
 * {@code serve --cluster} processes over PostgreSQL and a NATS of their own behind the bench's TCP
 * balancer ({@code bench/cluster-load.sh}); the client SDK's load generator connects every session
 * to node 1 and posts numbered messages, and node 1 gets SIGTERM halfway through them. Every
 * session must move to the other two nodes and resume there, and every message must reach every
 * session once: counted by the load generator, not by the server.
 *
 * <p>An integration test (after {@code package}): the script runs the packaged server and bench.
 */
class ClusterDrainIT {

    static final int SESSIONS = 300;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aDrainedNodesSessionsResumeOnTheOthersWithNothingLostDoubledOrReidentified() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path out = Path.of("target", "cluster-drain.json").toAbsolutePath();
        Files.deleteIfExists(out);
        Process run = new ProcessBuilder(List.of("bash", "bench/cluster-load.sh", "--nodes", "3", "--drain",
                "--sessions", Integer.toString(SESSIONS), "--processes", "1", "--users", "10", "--messages", "30",
                "--rate", "5", "--settle", "2", "--out", out.toString()))
                .directory(root.toFile()).inheritIO().start();
        boolean ended = run.waitFor(9, TimeUnit.MINUTES);
        if (!ended) {
            run.descendants().forEach(ProcessHandle::destroyForcibly);
            run.destroyForcibly();
        }
        assertThat(ended).as("the run ended").isTrue();
        assertThat(run.exitValue()).as("the load generator's verdict: nothing lost or doubled").isZero();

        JsonNode result = new ObjectMapper().readTree(out.toFile());
        assertThat(result.get("sessions").asInt()).isEqualTo(SESSIONS);
        assertThat(result.get("post_failures").asInt()).isZero();
        assertThat(result.get("deliveries_expected").asLong()).isEqualTo(30L * SESSIONS);
        assertThat(result.get("lost").asLong()).as("lost").isZero();
        assertThat(result.get("duplicates").asLong()).as("duplicated").isZero();
        assertThat(result.get("reidentifies").asLong()).as("re-identified").isZero();
        JsonNode drain = result.get("drain");
        assertThat(drain.get("sessions_moved").asInt()).as("every session was on the drained node").isEqualTo(SESSIONS);
        assertThat(drain.get("resumed").asInt()).as("and resumed elsewhere").isEqualTo(SESSIONS);
    }
}
