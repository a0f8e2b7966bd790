package dev.pandaproxy.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A credential such as the printer's LAN access code.
 *
 * <p>It never prints itself ({@link #toString()} is masked) and compares in constant time: both sides
 * are hashed first, so neither the content nor the length of a guess leaks through timing.
 */
public final class Secret {
    private static final String MASK = "********";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] value;
    private final byte[] digest;

    private Secret(byte[] value) {
        this.value = value;
        this.digest = sha256(value);
    }

    /** A secret holding the UTF-8 bytes of {@code value}. */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        return new Secret(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A new random secret: {@code bytes} random bytes, written as hex (a password other programs can be given). */
    public static Secret random(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return of(HexFormat.of().formatHex(random));
    }

    /** Whether {@code candidate} (UTF-8 bytes) equals this secret; constant time. */
    public boolean matches(byte[] candidate) {
        return MessageDigest.isEqual(digest, sha256(candidate));
    }

    /** Whether {@code candidate} equals this secret; constant time. */
    public boolean matches(String candidate) {
        return candidate != null && matches(candidate.getBytes(StandardCharsets.UTF_8));
    }

    /** The plain value as bytes (a copy), for the few places that must send it (the printer login). Never log it. */
    public byte[] revealBytes() {
        return value.clone();
    }

    /** The plain value as text, for configuration files of other programs (MediaMTX). Never log it. */
    public String revealText() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** {@code text} with every occurrence of this secret masked, for passing on other programs' output. */
    public String maskIn(String text) {
        String plain = revealText();
        return plain.isEmpty() || text == null ? text : text.replace(plain, MASK);
    }

    @Override
    public String toString() {
        return MASK;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
