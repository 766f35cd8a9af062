package dev.kappa.boot.autoconfigure.web;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.exc.MismatchedInputException;

/** A JSON string held a character PostgreSQL cannot store as text; its path names the field. */
final class UnstorableTextException extends MismatchedInputException {

    /** Which character, and what the client reads about it. */
    enum Reason {
        NUL("must not contain the NUL character (U+0000)"),
        LONE_SURROGATE("must not contain half of a UTF-16 surrogate pair (such as \\ud800 without the low half that"
                + " follows it); send the whole character");

        final String rule;

        Reason(String rule) {
            this.rule = rule;
        }
    }

    private final Reason reason;

    UnstorableTextException(JsonParser parser, Reason reason) {
        super(parser, "a string " + reason.rule + ", which PostgreSQL cannot store", String.class);
        this.reason = reason;
    }

    /** What the field must not contain, in the client's words. */
    String rule() {
        return reason.rule;
    }
}
