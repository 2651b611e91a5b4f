package dev.gatehouse.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    // Small parameters keep the test fast; the format carries them, so verify reads them back.
    private final PasswordHasher hasher = new PasswordHasher(1024, 1, 1);

    @Test
    void hashesAreSaltedArgon2idAndVerify() {
        String a = hasher.hash("correct horse battery staple");
        String b = hasher.hash("correct horse battery staple");
        assertThat(a).startsWith("$argon2id$v=19$m=1024,t=1,p=1$").isNotEqualTo(b);
        assertThat(hasher.verify("correct horse battery staple", a)).isTrue();
        assertThat(hasher.verify("correct horse battery stapl", a)).isFalse();
        // a hash made with other parameters still verifies: they are read from the string
        assertThat(new PasswordHasher().verify("correct horse battery staple", a)).isTrue();
    }

    @Test
    void malformedStoredHashesNeverVerify() {
        for (String bad : new String[] {"", "plain", "$argon2i$v=19$m=1024,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=x,t=1,p=1$AAAA$AAAA",
                "$argon2id$v=19$m=1024,t=1,p=1$!!$AAAA"}) {
            assertThat(hasher.verify("pw", bad)).as(bad).isFalse();
        }
    }
}
