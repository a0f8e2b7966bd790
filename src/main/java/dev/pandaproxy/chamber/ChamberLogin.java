package dev.pandaproxy.chamber;

/**
 * A decoded 80-byte login packet.
 *
 * @param username   the user field (clients send {@code bblp})
 * @param accessCode the access code bytes, trailing NULs removed; never printed
 */
public record ChamberLogin(String username, byte[] accessCode) {
    @Override
    public String toString() {
        return "ChamberLogin[username=" + username + ", accessCode=********]";
    }
}
