package dev.gatehouse.core.service;

import dev.gatehouse.core.Platform;
import dev.gatehouse.core.auth.Principal;
import dev.gatehouse.core.error.ApiException;
import dev.gatehouse.core.error.ErrorCode;
import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.form.Form;
import dev.gatehouse.core.model.Channel;
import dev.gatehouse.core.model.ChannelType;
import dev.gatehouse.core.model.User;
import dev.gatehouse.core.view.ChannelView;
import dev.gatehouse.core.view.UserView;
import dev.gatehouse.protocol.DispatchType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One-to-one DM channels: at most one per pair of users, created on first ask. */
public final class DmService {

    private final Platform.Context ctx;

    public DmService(Platform.Context ctx) {
        this.ctx = ctx;
    }

    /**
     * {@code POST /users/@me/channels} {@code {recipient_id}}: the DM channel with that user,
     * created the first time (CHANNEL_CREATE to the caller) and the same channel after. A DM with
     * oneself, or between two bots, is refused with 50007 as Discord does.
     */
    public Map<String, Object> open(Principal who, Form form) {
        Long recipientId = form.snowflake("recipient_id");
        form.validate();
        if (recipientId == who.userId()) {
            throw new ApiException(ErrorCode.CANNOT_MESSAGE_USER);
        }
        record Result(Channel channel, User recipient) {}
        return ctx.forUsers(Set.of(who.userId()), () -> {
            Result result;
            try {
                result = ctx.store().write(tx -> {
                    User recipient = tx.users().find(recipientId).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_USER));
                    if (who.isBot() && recipient.bot()) {
                        throw new ApiException(ErrorCode.CANNOT_MESSAGE_USER);
                    }
                    Optional<Channel> existing = tx.channels().findDm(who.userId(), recipientId);
                    if (existing.isPresent()) {
                        return new Result(existing.get(), recipient);
                    }
                    Channel dm = new Channel(ctx.ids().next(), ChannelType.DM, null, null, null, 0, null, false, 0, 0, 0, null,
                            List.of(), List.of(who.userId(), recipientId));
                    tx.channels().insert(dm);
                    tx.events().publish(GatewayEvent.users(DispatchType.CHANNEL_CREATE, Set.of(who.userId()),
                            ChannelView.of(dm, List.of(UserView.of(recipient)))));
                    return new Result(dm, recipient);
                });
            } catch (ApiException e) {
                throw e;
            } catch (RuntimeException e) {
                // Both users opened the DM at once and the other insert won the pair's unique key: use theirs.
                result = ctx.store().read(tx -> tx.channels().findDm(who.userId(), recipientId)
                        .map(c -> new Result(c, tx.users().find(recipientId).orElseThrow()))).orElseThrow(() -> e);
            }
            return ChannelView.of(result.channel(), List.of(UserView.of(result.recipient())));
        });
    }

    /** {@code GET /users/@me/channels}: the caller's DM channels, each with the other user as recipient. */
    public List<Map<String, Object>> list(Principal who) {
        return ctx.store().read(tx -> {
            List<Channel> dms = tx.channels().listDms(who.userId());
            Map<Long, User> users = new HashMap<>();
            tx.users().findAll(dms.stream().flatMap(c -> c.recipientIds().stream()).distinct().toList())
                    .forEach(u -> users.put(u.id(), u));
            return dms.stream().map(c -> ChannelView.of(c, c.recipientIds().stream()
                    .filter(id -> id != who.userId() && users.containsKey(id))
                    .map(id -> UserView.of(users.get(id))).toList())).toList();
        });
    }
}
