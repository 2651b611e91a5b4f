package dev.gatehouse.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokensTest {

    @Test
    void tokenClaimsItsUserAndHashesStably() {
        String token = Tokens.generate(175928847299117063L, 1_700_000_000_000L);
        assertThat(token.split("\\.")).hasSize(3);
        assertThat(Tokens.claimedUserId(token)).hasValue(175928847299117063L);
        assertThat(Tokens.hash(token)).isEqualTo(Tokens.hash(token)).hasSize(32);
        assertThat(Tokens.generate(1, 0)).isNotEqualTo(Tokens.generate(1, 0));
    }

    @Test
    void malformedTokensClaimNothing() {
        for (String bad : new String[] {null, "", "abc", "a.b", ".b.c", "!!!.b.c", "bm90LWRpZ2l0cw.b.c", "x".repeat(300)}) {
            assertThat(Tokens.claimedUserId(bad)).as(String.valueOf(bad)).isEmpty();
        }
    }
}
