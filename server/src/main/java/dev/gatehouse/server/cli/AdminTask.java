package dev.gatehouse.server.cli;

import dev.gatehouse.core.PlatformLimits;
import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.core.model.User;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.server.Node;
import dev.gatehouse.store.DatabaseConfig;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * One admin subcommand: opens the database without binding a port, does its work through the
 * platform services (so validation and permissions are the API's), prints the result as text or
 * JSON. A refusal prints one line to stderr and exits {@value #REFUSED}; a failure to reach the
 * database exits {@value #FAILED}.
 */
abstract class AdminTask implements Callable<Integer> {

    static final int REFUSED = 2;
    static final int FAILED = 1;

    /** Two are plenty for one command; the server keeps the full pool. */
    private static final int POOL_SIZE = 2;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    /** What a command did: the JSON object and the same facts as lines of text. */
    record Output(Map<String, Object> json, List<String> text) {}

    /** A refusal with a message for the operator (unknown user, wrong kind of account...). */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    abstract Output run(Node node);

    @Override
    public final Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        String name = "gatehouse admin " + spec.name();
        Node node;
        try {
            node = openNode();
        } catch (RuntimeException e) {
            err.println(name + ": cannot open the database: " + firstLine(e));
            err.flush();
            return FAILED;
        }
        try (node) {
            Output output = run(node);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.mapper().writeValueAsString(output.json()));
            } else {
                output.text().forEach(out::println);
            }
            out.flush();
            return 0;
        } catch (Refused e) {
            err.println(name + ": " + e.getMessage());
        } catch (ApiException e) {
            err.println(name + ": " + describe(e));
        } catch (Exception e) {
            err.println(name + ": failed: " + firstLine(e));
            err.flush();
            return FAILED;
        }
        err.flush();
        return REFUSED;
    }

    private Node openNode() {
        DatabaseConfig c = database.toConfig();
        DatabaseConfig small = new DatabaseConfig(c.url(), c.user(), c.password(), c.schema(), Math.min(c.poolSize(), POOL_SIZE));
        // the server's snowflakes use process 0; a pid-derived 1..31 keeps ours apart from its
        // ids, and from another admin command's run at the same millisecond
        int process = 1 + (int) (ProcessHandle.current().pid() % 31);
        return Node.open(small, Clock.systemUTC(), 0, process, PlatformLimits.defaults());
    }

    /** The person or bot named by id, or the person named by username (bots' names are not unique). */
    static User user(Node node, String idOrUsername) {
        Optional<User> byId = parseId(idOrUsername).flatMap(id -> node.store().read(tx -> tx.users().find(id)));
        return byId.or(() -> node.store().read(tx -> tx.users().findByUsername(idOrUsername)))
                .orElseThrow(() -> new Refused("no user with id or username '" + idOrUsername + "'"));
    }

    static Optional<Long> parseId(String s) {
        if (s == null || !s.matches("[0-9]{1,19}")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** One line: 50035's field errors as {@code --option: message}, other codes as their message. */
    static String describe(ApiException e) {
        if (e.code() == ErrorCode.INVALID_FORM_BODY && !e.errors().isEmpty()) {
            List<String> problems = new ArrayList<>();
            collect("", e.errors(), problems);
            return "invalid input: " + String.join("; ", problems);
        }
        return e.getMessage() + (e.code().numeric() != 0 ? " (" + e.code().numeric() + ")" : "");
    }

    @SuppressWarnings("unchecked")
    private static void collect(String path, Map<String, Object> node, List<String> out) {
        for (Map.Entry<String, Object> entry : node.entrySet()) {
            if (entry.getKey().equals("_errors")) {
                for (Map<String, String> error : (List<Map<String, String>>) entry.getValue()) {
                    out.add("--" + path.replace('_', '-') + ": " + error.get("message"));
                }
            } else if (entry.getValue() instanceof Map<?, ?> child) {
                collect(path.isEmpty() ? entry.getKey() : path + "." + entry.getKey(), (Map<String, Object>) child, out);
            }
        }
    }

    /** The first line of the outermost message (Hikari's and the drivers' name the address). */
    private static String firstLine(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage().strip().lines().findFirst().orElse("");
            }
        }
        return e.getClass().getSimpleName();
    }
}
