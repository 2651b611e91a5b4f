package dev.gatehouse.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gatehouse} command: {@code serve} runs a node, {@code admin} is for operators. */
@Command(name = "gatehouse", mixinStandardHelpOptions = true, version = "gatehouse 0.1.0",
        description = "Self-hostable, Discord-compatible chat platform server.",
        subcommands = {ServeCommand.class, AdminCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("admin")) {
            quietLogs();
        }
        int code = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        if (code != 0 || args.length == 0 || !args[0].equals("serve")) {
            System.exit(code);
        }
    }

    /**
     * An admin command's stdout is its result (scripts parse its --json), so its log lines go to
     * stderr, and only warnings unless GATEHOUSE_LOG_LEVEL says otherwise. Read by logback.xml;
     * must run before the first logger is made.
     */
    private static void quietLogs() {
        System.setProperty("gatehouse.log.target", "System.err");
        if (System.getenv("GATEHOUSE_LOG_LEVEL") == null) {
            System.setProperty("GATEHOUSE_LOG_LEVEL", "WARN");
        }
    }
}
