package dev.gatehouse.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.core.form.Form;
import dev.gatehouse.core.service.AuthService;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.server.Node;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code admin create-user}: registers a person exactly as {@code POST /auth/register} does. */
@Command(name = "create-user", mixinStandardHelpOptions = true,
        description = "Create a person account (same rules as POST /auth/register) and print its id and a token.")
final class CreateUserCommand extends AdminTask {

    @Option(names = "--username", required = true, description = "2-32 letters, digits, '_' or '.'; unique, case-insensitive.")
    String username;

    @Option(names = "--password", required = true, description = "8-128 characters.")
    String password;

    @Option(names = "--email", description = "Optional; unique. Lets the user log in by email.")
    String email;

    @Override
    Output run(Node node) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("username", username);
        body.put("password", password);
        if (email != null) {
            body.put("email", email);
        }
        AuthService.Registered registered = node.platform().auth().register(Form.of(body));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("user_id", registered.user().id());
        json.put("username", registered.user().username());
        json.put("token", registered.token());
        return new Output(json, List.of(
                "created user " + registered.user().username() + " (id " + registered.user().id() + ")",
                "token: " + registered.token(),
                "send it as the header  Authorization: " + registered.token()));
    }
}
