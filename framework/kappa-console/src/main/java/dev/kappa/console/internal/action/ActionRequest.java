package dev.kappa.console.internal.action;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An action as the page asks for it: {@code {"offset": 123, "note": "why", "confirm": true}}. Read strictly, so that
 * a mistake is named rather than guessed at.
 *
 * @param offset for a reset, the offset to reset to (0 if absent); for a skip or a replay, the event's offset
 * @param note   for a skip, why; recorded with every action
 */
public record ActionRequest(@Nullable Long offset, @Nullable String note) {

    /** The longest note accepted. */
    public static final int MAX_NOTE = 500;

    private static final Set<String> FIELDS = Set.of("offset", "note", "confirm");

    /**
     * Reads a request body.
     *
     * @throws IllegalArgumentException naming what is wrong: not a JSON object, an unknown field, an offset that is
     *                                  not a whole number from 0, a note that is not text or too long, or
     *                                  {@code confirm} not {@code true}
     */
    public static ActionRequest parse(@Nullable String body, JsonMapper json) {
        JsonNode tree;
        try {
            tree = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the body must be a JSON object such as {\"offset\": 12, \"note\":"
                    + " \"why\", \"confirm\": true}: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object such as {\"confirm\": true}, with"
                    + " \"offset\" and \"note\" where the action needs them");
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = tree.properties().iterator(); fields.hasNext(); ) {
            String name = fields.next().getKey();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + shown(name) + "': the body takes offset, note"
                        + " and confirm");
            }
        }
        JsonNode confirm = tree.get("confirm");
        if (confirm == null || !confirm.isBoolean() || !confirm.booleanValue()) {
            throw new IllegalArgumentException("confirm: must be true (the page asks the operator first), not "
                    + (confirm == null ? "missing" : shown(confirm.toString())));
        }
        Long offset = null;
        JsonNode offsetNode = tree.get("offset");
        if (offsetNode != null && !offsetNode.isNull()) {
            if (!offsetNode.isIntegralNumber() || !offsetNode.canConvertToLong() || offsetNode.longValue() < 0) {
                throw new IllegalArgumentException("offset: must be a log offset, a whole number from 0 to "
                        + Long.MAX_VALUE + ", not " + shown(offsetNode.toString()));
            }
            offset = offsetNode.longValue();
        }
        String note = null;
        JsonNode noteNode = tree.get("note");
        if (noteNode != null && !noteNode.isNull()) {
            if (!noteNode.isString()) {
                throw new IllegalArgumentException("note: must be text, not " + shown(noteNode.toString()));
            }
            note = noteNode.stringValue().strip();
            if (note.length() > MAX_NOTE) {
                throw new IllegalArgumentException("note: at most " + MAX_NOTE + " characters, not "
                        + note.length());
            }
            if (note.indexOf('\u0000') >= 0) {
                throw new IllegalArgumentException("note: must not contain the NUL character (U+0000)");
            }
            note = note.isEmpty() ? null : note;
        }
        return new ActionRequest(offset, note);
    }

    /** Untrusted text, cut short and without control characters, for a message. */
    public static String shown(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 40 ? clean.substring(0, 40) + "…" : clean;
    }
}
