package dev.gatehouse.core.store;

import dev.gatehouse.core.event.GatewayEvent;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The event log of one transaction ({@code docs/ARCHITECTURE.md}, "Events"). A change publishes
 * its gateway events here, inside its transaction; they are written to the log with the change,
 * numbered per stream (a guild, or a user), and reach the bus only once the transaction has
 * committed. So an event is never delivered for a change that rolled back, and never lost for one
 * that committed: every node reads the log for what its bus did not bring.
 *
 * <p>Versions are gapless per stream: a version is taken under the stream's row lock and held to
 * the commit, so once version n is visible, every version below it is too.
 */
public interface EventLog {

    /** Adds an event of this transaction's change; it is logged at commit. Only in a write. */
    void publish(GatewayEvent event);

    /** The stream's newest committed version, 0 when it has none. */
    long version(long stream);

    /** The newest versions of the streams that have one. */
    Map<Long, Long> versions(Collection<Long> streams);

    /** The streams that changed at or after {@code since} (epoch millis), with their newest versions. */
    Map<Long, Long> changedSince(long since);

    /** Up to {@code limit} events of the stream after {@code version}, in order, their data as JSON trees. */
    List<GatewayEvent> after(long stream, long version, int limit);

    /** Deletes the events logged before {@code before} (epoch millis); how many went. */
    int prune(long before);
}
