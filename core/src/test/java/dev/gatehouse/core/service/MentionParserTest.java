package dev.gatehouse.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MentionParserTest {

    @Test
    void usersInBothFormsInOrderWithoutRepeats() {
        var p = MentionParser.parse("hi <@30> and <@!10>, again <@30> and <@10>");
        assertThat(p.users()).containsExactly(30L, 10L);
        assertThat(p.roles()).isEmpty();
        assertThat(p.everyone()).isFalse();
    }

    @Test
    void rolesAreNotUsers() {
        var p = MentionParser.parse("<@&77> <@&78> <@&77>");
        assertThat(p.roles()).containsExactly(77L, 78L);
        assertThat(p.users()).isEmpty();
    }

    @Test
    void everyoneAndHere() {
        assertThat(MentionParser.parse("hey @everyone").everyone()).isTrue();
        assertThat(MentionParser.parse("@here now").everyone()).isTrue();
        assertThat(MentionParser.parse("every one @ everyone").everyone()).isFalse();
        assertThat(MentionParser.parse("@Everyone").everyone()).as("case matters, as on Discord").isFalse();
    }

    @Test
    void malformedMarkupMentionsNothing() {
        var p = MentionParser.parse("<@> <@abc> <@ 12> <@12 > <@&> <@!!12> <@99999999999999999999> <#12> <:name:12>");
        assertThat(p.users()).isEmpty();
        assertThat(p.roles()).isEmpty();
    }

    @Test
    void emptyAndNullContent() {
        assertThat(MentionParser.parse("").users()).isEmpty();
        assertThat(MentionParser.parse(null).everyone()).isFalse();
    }
}
