package dev.gatehouse.gateway.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.event.GatewayEvent;
import dev.gatehouse.core.model.Application;
import dev.gatehouse.protocol.DispatchType;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IntentsTest {

    @Test
    void messagesNeedTheGuildOrDirectIntent() {
        assertThat(Intents.required(GatewayEvent.channel(DispatchType.MESSAGE_CREATE, 1, 2, null))).isEqualTo(Intents.GUILD_MESSAGES);
        assertThat(Intents.required(GatewayEvent.users(DispatchType.MESSAGE_CREATE, Set.of(1L), null))).isEqualTo(Intents.DIRECT_MESSAGES);
        assertThat(Intents.required(GatewayEvent.guild(DispatchType.TYPING_START, 1, null))).isEqualTo(Intents.GUILD_MESSAGE_TYPING);
        assertThat(Intents.required(GatewayEvent.users(DispatchType.MESSAGE_REACTION_ADD, Set.of(1L), null)))
                .isEqualTo(Intents.DIRECT_MESSAGE_REACTIONS);
    }

    @Test
    void everyEventHasADecision() {
        for (DispatchType t : DispatchType.values()) {
            long bits = Intents.required(GatewayEvent.guild(t, 1, null));
            assertThat(Long.bitCount(bits)).as("%s needs one intent or none", t).isLessThanOrEqualTo(1);
            assertThat(bits & ~Intents.ALL).isZero();
        }
        assertThat(Intents.required(GatewayEvent.users(DispatchType.READY, Set.of(1L), null))).isZero();
        assertThat(Intents.required(GatewayEvent.guild(DispatchType.PRESENCE_UPDATE, 1, null))).isEqualTo(Intents.GUILD_PRESENCES);
        assertThat(Intents.required(GatewayEvent.guild(DispatchType.GUILD_MEMBER_ADD, 1, null))).isEqualTo(Intents.GUILD_MEMBERS);
    }

    @Test
    void privilegedIntentsFollowTheApplicationFlags() {
        assertThat(Intents.allowedPrivileged(0)).isZero();
        assertThat(Intents.allowedPrivileged(Application.GATEWAY_GUILD_MEMBERS_LIMITED)).isEqualTo(Intents.GUILD_MEMBERS);
        assertThat(Intents.allowedPrivileged(Application.GATEWAY_PRESENCE | Application.GATEWAY_MESSAGE_CONTENT))
                .isEqualTo(Intents.GUILD_PRESENCES | Intents.MESSAGE_CONTENT);
        assertThat(Intents.PRIVILEGED).isEqualTo((1L << 1) | (1L << 8) | (1L << 15));
    }
}
