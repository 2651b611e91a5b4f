package dev.gatehouse.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.Json;
import dev.gatehouse.server.testing.ApiClient.Account;
import dev.gatehouse.server.testing.ServerPerClass;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 pipelining over a raw socket: answers come back in request order whatever each route
 * takes (a login hashes a password for tens of milliseconds, a user lookup takes a fraction of
 * one), and a request that closes the connection is answered after every request before it.
 */
class HttpPipeliningTest extends ServerPerClass {

    record Answer(int status, JsonNode body) {}

    @Test
    void fortyPipelinedRequestsOfSlowAndFastRoutesAreAnsweredInRequestOrder() throws IOException {
        List<Account> users = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            users.add(api.register("piped"));
        }
        StringBuilder requests = new StringBuilder();
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Account u = users.get(i % users.size());
            if (i % 3 == 0) {
                String body = Json.mapper().writeValueAsString(Map.of("login", u.username(), "password", "password-" + u.username()));
                requests.append(request("POST", "/api/v10/auth/login", null, body, false));
            } else {
                requests.append(request("GET", "/api/v10/users/" + u.id(), users.get(0).token(), null, false));
            }
            expected.add(u.id());
        }
        try (Socket socket = open()) {
            socket.getOutputStream().write(requests.toString().getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            List<Long> answeredFor = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Answer a = read(in);
                assertThat(a.status()).as("answer %s: %s", i, a.body()).isEqualTo(200);
                answeredFor.add(a.body().has("user_id") ? a.body().get("user_id").asLong() : a.body().get("id").asLong());
            }
            assertThat(answeredFor).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aRequestThatClosesTheConnectionIsAnsweredAfterTheSlowerOneBeforeIt() throws IOException {
        Account owner = api.register("closer");
        long guild = api.createGuild(owner, "Piped").get("id").asLong();
        long channel = api.firstTextChannel(guild, owner.token());
        String login = Json.mapper().writeValueAsString(Map.of("login", owner.username(), "password", "password-" + owner.username()));
        String message = Json.mapper().writeValueAsString(Map.of("content", "committed"));
        String pipelined = request("POST", "/api/v10/auth/login", null, login, false)
                + request("POST", "/api/v10/channels/" + channel + "/messages", owner.token(), message, false)
                + request("GET", "/api/v10/users/@me", owner.token(), null, true)
                + request("GET", "/api/v10/users/@me", owner.token(), null, false);
        try (Socket socket = open()) {
            OutputStream out = socket.getOutputStream();
            out.write(pipelined.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            Answer first = read(in);
            assertThat(first.body().has("token")).as("the login: %s", first.body()).isTrue();
            Answer second = read(in);
            assertThat(second.body().get("content").asText()).isEqualTo("committed");
            Answer third = read(in);
            assertThat(third.body().get("id").asLong()).isEqualTo(owner.id());
            assertThat(in.read()).as("closed after the request that asked for it; the one behind it never ran").isEqualTo(-1);
        }
        JsonNode stored = api.get("/channels/" + channel + "/messages", owner.token()).json();
        assertThat(stored.findValuesAsText("content")).containsExactly("committed");
    }

    private Socket open() throws IOException {
        URIish base = new URIish(server.baseUrl());
        Socket socket = new Socket(base.host(), base.port());
        socket.setSoTimeout(20_000);
        return socket;
    }

    private record URIish(String host, int port) {
        URIish(String url) {
            this(java.net.URI.create(url).getHost(), java.net.URI.create(url).getPort());
        }
    }

    private static String request(String method, String path, String token, String body, boolean close) {
        StringBuilder r = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        if (token != null) {
            r.append("Authorization: ").append(token).append("\r\n");
        }
        if (close) {
            r.append("Connection: close\r\n");
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            r.append("Content-Type: application/json\r\n");
        }
        r.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
        if (body != null) {
            r.append(body);
        }
        return r.toString();
    }

    /** One HTTP/1.1 response with a Content-Length body. */
    private static Answer read(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        int length = 0;
        String header;
        while (!(header = line(in)).isEmpty()) {
            int colon = header.indexOf(':');
            if (header.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                length = Integer.parseInt(header.substring(colon + 1).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return new Answer(status, length == 0 ? null : Json.mapper().readTree(body));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c == -1 && b.size() == 0) {
            throw new IOException("connection closed");
        }
        return b.toString(StandardCharsets.UTF_8);
    }
}
