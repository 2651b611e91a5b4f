package dev.gatehouse.voice.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TransportCipherTest {

    private static final HexFormat HEX = HexFormat.of();

    private static byte[] hex(String s) {
        return HEX.parseHex(s);
    }

    /** The AEAD under the rtpsize layout: the published vector of its construction. */
    @Test
    void xchacha20Poly1305MatchesTheDraftsTestVector() {
        // draft-irtf-cfrg-xchacha, appendix A.3.1
        byte[] key = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        byte[] nonce = hex("404142434445464748494a4b4c4d4e4f5051525354555657");
        byte[] aad = hex("50515253c0c1c2c3c4c5c6c7");
        byte[] plain = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future,"
                + " sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[plain.length + TransportCipher.TAG];
        XChaCha20RtpSize cipher = new XChaCha20RtpSize(key);
        cipher.encrypt(nonce, aad, aad.length, plain, plain.length, out, 0);
        assertThat(HEX.formatHex(out, 0, 32)).isEqualTo("bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb");
        assertThat(HEX.formatHex(out, plain.length, out.length)).isEqualTo("c0875924c1c7987947deafd8780acf49");
        byte[] opened = new byte[out.length];
        assertThat(cipher.decrypt(nonce, aad, aad.length, out, 0, out.length, opened)).isEqualTo(plain.length);
        assertThat(java.util.Arrays.copyOf(opened, plain.length)).isEqualTo(plain);
    }

    @Test
    void aes256GcmMatchesNistsTestVector() {
        // The Galois/Counter Mode of Operation (McGrew, Viega), test case 16
        byte[] key = hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
        byte[] nonce = hex("cafebabefacedbaddecaf888");
        byte[] aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        byte[] plain = hex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
        byte[] out = new byte[plain.length + TransportCipher.TAG];
        AesGcmRtpSize cipher = new AesGcmRtpSize(key);
        cipher.encrypt(nonce, aad, aad.length, plain, plain.length, out, 0);
        assertThat(HEX.formatHex(out, 0, plain.length)).isEqualTo("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662");
        assertThat(HEX.formatHex(out, plain.length, out.length)).isEqualTo("76fc6ece0f4e1768cddf8853bb2d551b");
        byte[] opened = new byte[out.length];
        assertThat(cipher.decrypt(nonce, aad, aad.length, out, 0, out.length, opened)).isEqualTo(plain.length);
        assertThat(java.util.Arrays.copyOf(opened, plain.length)).isEqualTo(plain);
    }

    @ParameterizedTest
    @EnumSource(EncryptionMode.class)
    void aPacketIsTheClearHeaderTheSealedBodyAndTheCountersFourBytes(EncryptionMode mode) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        TransportCipher sender = mode.cipher(key);
        TransportCipher receiver = mode.cipher(key);
        byte[] header = hex("80780001000003c0deadbeef");
        byte[] opus = "opus frame".getBytes(StandardCharsets.US_ASCII);

        byte[] first = sender.seal(header, header.length, opus);
        byte[] second = sender.seal(header, header.length, opus);
        assertThat(first).hasSize(12 + opus.length + 16 + 4);
        assertThat(Arrays.copyOf(first, 12)).isEqualTo(header);
        assertThat(HEX.formatHex(first, first.length - 4, first.length)).isEqualTo("00000000");
        assertThat(HEX.formatHex(second, second.length - 4, second.length)).isEqualTo("00000001");
        assertThat(Arrays.copyOfRange(first, 12, 12 + opus.length)).as("a fresh nonce, a fresh ciphertext")
                .isNotEqualTo(Arrays.copyOfRange(second, 12, 12 + opus.length));
        assertThat(receiver.open(first, first.length, 12)).isEqualTo(opus);
        assertThat(receiver.open(second, second.length, 12)).isEqualTo(opus);

        for (int at : new int[] {1, 8, 12, first.length - 18, first.length - 1}) {
            byte[] tampered = first.clone();
            tampered[at] ^= 1;
            assertThat(receiver.open(tampered, tampered.length, 12)).as("byte %d changed", at).isNull();
        }
        assertThat(mode.cipher(new byte[32]).open(first, first.length, 12)).as("another key").isNull();
        assertThat(receiver.open(first, 12 + 19, 12)).as("shorter than a tag and a nonce").isNull();
    }
}
