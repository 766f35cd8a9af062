package dev.kappa.boot.autoconfigure.web;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.exc.MismatchedInputException;

/** A JSON string held U+0000, which PostgreSQL cannot store; its path names the field. */
final class NulCharacterException extends MismatchedInputException {

    NulCharacterException(JsonParser parser) {
        super(parser, "a string must not contain the NUL character (U+0000), which PostgreSQL cannot store",
                String.class);
    }
}
