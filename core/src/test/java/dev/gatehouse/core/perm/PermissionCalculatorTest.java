package dev.gatehouse.core.perm;

import static dev.gatehouse.core.perm.Permission.ADMINISTRATOR;
import static dev.gatehouse.core.perm.Permission.ATTACH_FILES;
import static dev.gatehouse.core.perm.Permission.EMBED_LINKS;
import static dev.gatehouse.core.perm.Permission.KICK_MEMBERS;
import static dev.gatehouse.core.perm.Permission.MANAGE_CHANNELS;
import static dev.gatehouse.core.perm.Permission.MANAGE_GUILD;
import static dev.gatehouse.core.perm.Permission.MANAGE_MESSAGES;
import static dev.gatehouse.core.perm.Permission.MENTION_EVERYONE;
import static dev.gatehouse.core.perm.Permission.READ_MESSAGE_HISTORY;
import static dev.gatehouse.core.perm.Permission.SEND_MESSAGES;
import static dev.gatehouse.core.perm.Permission.SEND_TTS_MESSAGES;
import static dev.gatehouse.core.perm.Permission.VIEW_CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.model.Channel;
import dev.gatehouse.core.model.ChannelType;
import dev.gatehouse.core.model.Guild;
import dev.gatehouse.core.model.Member;
import dev.gatehouse.core.model.Overwrite;
import dev.gatehouse.core.model.Role;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Discord's permission algorithm, case by case, on a guild built in memory. */
class PermissionCalculatorTest {

    static final long GUILD = 1000;
    static final long OWNER = 1;
    static final long USER = 2;
    static final long OTHER_USER = 3;
    static final long MODS = 2001;
    static final long MUTED = 2002;
    static final long ADMINS = 2003;
    static final long NOT_HELD = 2004;

    static final long EVERYONE_BITS = Permission.of(VIEW_CHANNEL, SEND_MESSAGES, READ_MESSAGE_HISTORY, MENTION_EVERYONE,
            EMBED_LINKS, ATTACH_FILES, SEND_TTS_MESSAGES);

    final Guild guild = new Guild(GUILD, "g", null, null, OWNER, null, null, 300, 0, 0, 0, 0);
    final Map<Long, Role> roles = new LinkedHashMap<>();

    PermissionCalculatorTest() {
        role(GUILD, 0, EVERYONE_BITS);
        role(MODS, 2, Permission.of(KICK_MEMBERS, MANAGE_MESSAGES));
        role(MUTED, 1, 0);
        role(ADMINS, 3, ADMINISTRATOR.bit);
        role(NOT_HELD, 4, Permission.of(MANAGE_GUILD, MANAGE_CHANNELS));
    }

    private void role(long id, int position, long bits) {
        roles.put(id, new Role(id, GUILD, "r" + id, 0, false, position, bits, false, false));
    }

    private static Member member(long userId, Long... roleIds) {
        return new Member(GUILD, userId, null, 0, Set.of(roleIds));
    }

    private static Channel channel(Overwrite... overwrites) {
        return new Channel(5000, ChannelType.GUILD_TEXT, GUILD, "c", null, 0, null, false, 0, 0, 0, null, List.of(overwrites), List.of());
    }

    private static Overwrite roleOw(long id, long allow, long deny) {
        return new Overwrite(id, Overwrite.ROLE, allow, deny);
    }

    private static Overwrite memberOw(long id, long allow, long deny) {
        return new Overwrite(id, Overwrite.MEMBER, allow, deny);
    }

    private long in(Member m, Channel c) {
        return PermissionCalculator.inChannel(guild, m, roles, c);
    }

    @Test
    void baseIsEveryoneOrTheMembersRoles() {
        assertThat(PermissionCalculator.base(guild, member(USER), roles)).isEqualTo(EVERYONE_BITS);
        assertThat(PermissionCalculator.base(guild, member(USER, MODS), roles))
                .isEqualTo(EVERYONE_BITS | KICK_MEMBERS.bit | MANAGE_MESSAGES.bit);
        // a role id the guild does not know (deleted meanwhile) adds nothing
        assertThat(PermissionCalculator.base(guild, member(USER, 999L), roles)).isEqualTo(EVERYONE_BITS);
    }

    @Test
    void baseWithoutAnEveryoneRoleIsOnlyTheMembersRoles() {
        roles.remove(GUILD);
        assertThat(PermissionCalculator.base(guild, member(USER), roles)).isZero();
        assertThat(PermissionCalculator.base(guild, member(USER, MODS), roles)).isEqualTo(KICK_MEMBERS.bit | MANAGE_MESSAGES.bit);
    }

    @Test
    void ownerHasEverythingEvenWithoutRolesAndAgainstOverwrites() {
        roles.put(GUILD, new Role(GUILD, GUILD, "@everyone", 0, false, 0, 0, false, false));
        Member owner = member(OWNER);
        assertThat(PermissionCalculator.base(guild, owner, roles)).isEqualTo(Permission.ALL);
        Channel locked = channel(roleOw(GUILD, 0, Permission.ALL), memberOw(OWNER, 0, Permission.ALL));
        assertThat(in(owner, locked)).isEqualTo(Permission.ALL);
    }

    @Test
    void administratorFromAnyRoleGivesEverythingAndIgnoresOverwrites() {
        Member admin = member(USER, ADMINS);
        assertThat(PermissionCalculator.base(guild, admin, roles)).isEqualTo(Permission.ALL);
        Channel locked = channel(roleOw(GUILD, 0, VIEW_CHANNEL.bit), roleOw(ADMINS, 0, Permission.ALL), memberOw(USER, 0, Permission.ALL));
        assertThat(in(admin, locked)).isEqualTo(Permission.ALL);

        role(GUILD, 0, EVERYONE_BITS | ADMINISTRATOR.bit);
        assertThat(PermissionCalculator.base(guild, member(USER), roles)).as("@everyone administrator").isEqualTo(Permission.ALL);
    }

    @Test
    void administratorInAnOverwriteGrantsNothingBeyondItsBit() {
        Channel c = channel(memberOw(USER, ADMINISTRATOR.bit, 0));
        long bits = in(member(USER), c);
        assertThat(bits & MANAGE_GUILD.bit).isZero();
        assertThat(bits & KICK_MEMBERS.bit).isZero();
    }

    @Test
    void noOverwritesKeepsTheBase() {
        assertThat(in(member(USER, MODS), channel())).isEqualTo(PermissionCalculator.base(guild, member(USER, MODS), roles));
    }

    @Test
    void everyoneOverwriteAppliesToEveryMember() {
        Channel c = channel(roleOw(GUILD, MANAGE_MESSAGES.bit, SEND_MESSAGES.bit));
        long bits = in(member(USER), c);
        assertThat(bits & SEND_MESSAGES.bit).isZero();
        assertThat(bits & MANAGE_MESSAGES.bit).isEqualTo(MANAGE_MESSAGES.bit);
    }

    @Test
    void roleOverwritesComeAfterEveryoneSoARoleAllowBeatsAnEveryoneDeny() {
        Channel c = channel(roleOw(GUILD, 0, SEND_MESSAGES.bit), roleOw(MODS, SEND_MESSAGES.bit, 0));
        assertThat(in(member(USER, MODS), c) & SEND_MESSAGES.bit).isEqualTo(SEND_MESSAGES.bit);
        assertThat(in(member(USER), c) & SEND_MESSAGES.bit).isZero();
    }

    @Test
    void everyoneAllowDoesNotUndoARoleDeny() {
        Channel c = channel(roleOw(MUTED, 0, SEND_MESSAGES.bit), roleOw(GUILD, SEND_MESSAGES.bit, 0));
        assertThat(in(member(USER, MUTED), c) & SEND_MESSAGES.bit).isZero();
    }

    @Test
    void roleOverwritesCombineAndAllowWinsWhateverTheirOrder() {
        Overwrite deny = roleOw(MUTED, 0, SEND_MESSAGES.bit);
        Overwrite allow = roleOw(MODS, SEND_MESSAGES.bit, 0);
        Member both = member(USER, MODS, MUTED);
        assertThat(in(both, channel(deny, allow)) & SEND_MESSAGES.bit).isEqualTo(SEND_MESSAGES.bit);
        assertThat(in(both, channel(allow, deny)) & SEND_MESSAGES.bit).isEqualTo(SEND_MESSAGES.bit);
        // a role deny alone does take the bit away
        assertThat(in(member(USER, MUTED), channel(deny, allow)) & SEND_MESSAGES.bit).isZero();
    }

    @Test
    void memberOverwriteComesLastAndBeatsEveryRole() {
        Channel denied = channel(roleOw(MODS, MANAGE_MESSAGES.bit, 0), memberOw(USER, 0, MANAGE_MESSAGES.bit));
        assertThat(in(member(USER, MODS), denied) & MANAGE_MESSAGES.bit).isZero();
        Channel allowed = channel(roleOw(GUILD, 0, SEND_MESSAGES.bit), roleOw(MUTED, 0, SEND_MESSAGES.bit),
                memberOw(USER, SEND_MESSAGES.bit, 0));
        assertThat(in(member(USER, MUTED), allowed) & SEND_MESSAGES.bit).isEqualTo(SEND_MESSAGES.bit);
    }

    @Test
    void overwritesOfRolesNotHeldAndOfOtherMembersDoNotApply() {
        Channel c = channel(roleOw(NOT_HELD, 0, SEND_MESSAGES.bit), memberOw(OTHER_USER, 0, VIEW_CHANNEL.bit));
        assertThat(in(member(USER), c)).isEqualTo(EVERYONE_BITS);
    }

    @Test
    void overwriteTypeMatters() {
        // a member overwrite with a role's id, or a role overwrite with the user's id, targets nobody here
        Channel c = channel(memberOw(MODS, 0, SEND_MESSAGES.bit), roleOw(USER, 0, VIEW_CHANNEL.bit));
        assertThat(in(member(USER, MODS), c)).isEqualTo(PermissionCalculator.base(guild, member(USER, MODS), roles));
    }

    @Test
    void withoutViewChannelNothingElseRemains() {
        Channel c = channel(roleOw(GUILD, 0, VIEW_CHANNEL.bit), roleOw(MODS, SEND_MESSAGES.bit | MANAGE_MESSAGES.bit, 0));
        assertThat(in(member(USER, MODS), c)).isZero();
        Channel restored = channel(roleOw(GUILD, 0, VIEW_CHANNEL.bit), roleOw(MODS, VIEW_CHANNEL.bit, 0));
        assertThat(in(member(USER, MODS), restored) & VIEW_CHANNEL.bit).isEqualTo(VIEW_CHANNEL.bit);
        Channel memberDenied = channel(memberOw(USER, 0, VIEW_CHANNEL.bit));
        assertThat(in(member(USER, MODS), memberDenied)).isZero();
    }

    @Test
    void withoutSendMessagesTheSendingExtrasGoToo() {
        Channel c = channel(roleOw(GUILD, 0, SEND_MESSAGES.bit));
        long bits = in(member(USER), c);
        assertThat(bits & Permission.of(SEND_MESSAGES, MENTION_EVERYONE, SEND_TTS_MESSAGES, ATTACH_FILES, EMBED_LINKS)).isZero();
        // reading is not sending
        assertThat(bits & Permission.of(VIEW_CHANNEL, READ_MESSAGE_HISTORY)).isEqualTo(Permission.of(VIEW_CHANNEL, READ_MESSAGE_HISTORY));
        // even explicitly allowed extras go when sending is denied
        Channel explicit = channel(roleOw(GUILD, EMBED_LINKS.bit | ATTACH_FILES.bit, SEND_MESSAGES.bit));
        assertThat(in(member(USER), explicit) & (EMBED_LINKS.bit | ATTACH_FILES.bit)).isZero();
    }

    @Test
    void guildLevelPermissionsAreNotImplicitlyDenied() {
        // base() is guild-wide: the channel-only implicit denials do not apply to it
        role(GUILD, 0, Permission.of(MENTION_EVERYONE, EMBED_LINKS));
        assertThat(PermissionCalculator.base(guild, member(USER), roles)).isEqualTo(Permission.of(MENTION_EVERYONE, EMBED_LINKS));
    }
}
