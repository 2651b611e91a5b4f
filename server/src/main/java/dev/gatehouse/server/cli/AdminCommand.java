package dev.gatehouse.server.cli;

import picocli.CommandLine.Command;

/**
 * {@code gatehouse admin}: operator commands on the database {@code serve} uses (same options),
 * safe while it runs. They change the database directly; a running server's API sees the change
 * at once, its gateway when it reads the event log (within about half a second).
 */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = {"Operator commands on the server's database; they work while the server runs.",
                "Users are named by id or username, bots and applications by id."},
        subcommands = {
            CreateUserCommand.class,
            CreateBotCommand.class,
            CreateGuildCommand.class,
            AddMemberCommand.class,
            SetIntentsCommand.class,
            ResetTokenCommand.class,
        })
final class AdminCommand {
}
