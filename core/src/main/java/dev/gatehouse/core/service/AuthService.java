package dev.gatehouse.core.service;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.form.FieldErrors;
import dev.gatehouse.core.form.Form;
import dev.gatehouse.core.model.User;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Registration, login and token checks. Password hashing is slow by design: call off event loops. */
public final class AuthService {

    private static final Pattern USERNAME = Pattern.compile("[a-zA-Z0-9_.]{2,32}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");

    private final Platform.Context ctx;
    private final TokenService tokens;
    /** Verified against when the login names nobody, so a miss costs what a hit costs. */
    private final String decoyHash;

    public AuthService(Platform.Context ctx, TokenService tokens) {
        this.ctx = ctx;
        this.tokens = tokens;
        this.decoyHash = ctx.passwords().hash("decoy password for unknown logins");
    }

    public record Registered(User user, String token) {}

    public record LoggedIn(long userId, String token) {}

    /** {@code POST /auth/register}: a new person account and its first token. */
    public Registered register(Form form) {
        String username = form.string("username", 2, 32);
        String password = form.string("password", 8, 128);
        String email = form.optString("email", 3, 254);
        if (username != null && !USERNAME.matcher(username).matches()) {
            form.error("username", "USERNAME_INVALID_CHARACTERS", "Username can only contain letters, numbers, underscores and periods.");
        }
        if (email != null && !EMAIL.matcher(email).matches()) {
            form.error("email", "EMAIL_TYPE_INVALID_EMAIL", "Not a well formed email address.");
        }
        form.validate();
        String hash = ctx.passwords().hash(password); // outside the transaction: it takes tens of ms
        long now = ctx.clock().millis();
        User user = new User(ctx.ids().next(), username, null, null, email, false, 0, now);
        return ctx.store().write(tx -> {
            if (tx.users().findByUsername(username).isPresent()) {
                throw FieldErrors.single("username", "USERNAME_ALREADY_TAKEN", "Username is unavailable. Try adding numbers, letters, underscores _ , or periods.");
            }
            if (email != null && tx.users().findByEmail(email).isPresent()) {
                throw FieldErrors.single("email", "EMAIL_ALREADY_REGISTERED", "Email is already registered.");
            }
            if (!tx.users().insert(user, hash)) {
                throw FieldErrors.single("username", "USERNAME_ALREADY_TAKEN", "Username is unavailable.");
            }
            return new Registered(user, tokens.issue(tx, user.id()));
        });
    }

    /** {@code POST /auth/login}: by username or email. The same answer for a wrong name and a wrong password. */
    public LoggedIn login(Form form) {
        String login = form.string("login", 1, 254);
        String password = form.string("password", 1, 128);
        form.validate();
        Optional<User> user = ctx.store().read(tx -> login.contains("@")
                ? tx.users().findByEmail(login)
                : tx.users().findByUsername(login));
        Optional<String> hash = user.filter(u -> !u.bot()).flatMap(u -> ctx.store().read(tx -> tx.users().passwordHash(u.id())));
        boolean ok = ctx.passwords().verify(password, hash.orElse(decoyHash)) && hash.isPresent();
        if (!ok) {
            FieldErrors errors = new FieldErrors();
            errors.add(List.of("login"), "INVALID_LOGIN", "Login or password is invalid.");
            errors.add(List.of("password"), "INVALID_LOGIN", "Login or password is invalid.");
            errors.throwIfAny();
        }
        long userId = user.get().id();
        String token = ctx.store().write(tx -> tokens.issue(tx, userId));
        return new LoggedIn(userId, token);
    }
}
