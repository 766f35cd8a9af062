package dev.kappa.boot.autoconfigure.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Supplier;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.kappa.boot.web.IdempotencyKey;
import dev.kappa.framework.CommandMessage;

/**
 * The Idempotency-Key of one request. The fingerprint is computed when first asked for, after the handler's
 * arguments, the body among them, have been read. Belongs to one request thread.
 */
final class RequestIdempotencyKey implements IdempotencyKey {

    private static final JsonMapper CANONICAL = JsonMapper.builder()
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .build();

    private final String value;
    private final String method;
    private final String path;
    private final Supplier<byte[]> body;
    private String fingerprint;

    /**
     * @param value  the client's key, checked, or null without one
     * @param method the request's method
     * @param path   the request's path, as sent (percent-escapes and all)
     * @param body   the request's body as read so far
     */
    RequestIdempotencyKey(String value, String method, String path, Supplier<byte[]> body) {
        this.value = value;
        this.method = method;
        this.path = path;
        this.body = body;
    }

    @Override
    public boolean isPresent() {
        return value != null;
    }

    @Override
    public String value() {
        return value;
    }

    @Override
    public String scoped() {
        // a hash keeps the scoped key within the event store's 200 characters whatever the path's length
        return value == null ? null : value + "@" + sha256(method + " " + path);
    }

    @Override
    public String fingerprint() {
        if (value == null) {
            return null;
        }
        if (fingerprint == null) {
            fingerprint = sha256(method + " " + path + "\n" + canonical(body.get()));
        }
        return fingerprint;
    }

    @Override
    public <C> CommandMessage<C> message(C command) {
        CommandMessage<C> message = CommandMessage.of(command);
        return value == null ? message : message.withIdempotencyKey(scoped(), fingerprint());
    }

    @Override
    public String newId() {
        return value == null ? UUID.randomUUID().toString()
                : UUID.nameUUIDFromBytes(scoped().getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Override
    public String toString() {
        return value == null ? "no Idempotency-Key" : "Idempotency-Key '" + value + "' of " + method + " " + path;
    }

    /** JSON with its properties sorted and its layout dropped, so that only content tells two bodies apart. */
    private static String canonical(byte[] body) {
        if (body.length == 0) {
            return "";
        }
        try {
            JsonNode json = CANONICAL.readTree(body);
            return CANONICAL.writeValueAsString(json);
        } catch (JacksonException notJson) {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    private static String sha256(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
