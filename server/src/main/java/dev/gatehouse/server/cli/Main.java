package dev.gatehouse.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gatehouse} command: {@code serve} runs a node, {@code admin} is for operators. */
@Command(name = "gatehouse", mixinStandardHelpOptions = true, version = "gatehouse 0.1.0",
        description = "Self-hostable, Discord-compatible chat platform server.",
        subcommands = {ServeCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        if (code != 0 || args.length == 0 || !args[0].equals("serve")) {
            System.exit(code);
        }
    }
}
