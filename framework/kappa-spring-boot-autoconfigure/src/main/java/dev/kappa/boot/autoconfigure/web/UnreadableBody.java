package dev.kappa.boot.autoconfigure.web;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;

/**
 * Says why a request body could not be read, naming the field at fault as the client wrote it ({@code amount},
 * {@code lines[2].sku}) and what it should have been, instead of Spring's "Failed to read request". Stateless.
 */
final class UnreadableBody {

    /** Jackson's words for a key given twice, with {@code StreamReadFeature.STRICT_DUPLICATE_DETECTION}. */
    private static final Pattern DUPLICATE = Pattern.compile("^Duplicate Object property \"(.*)\"");

    private UnreadableBody() {
    }

    /** The problem's detail for a body that could not be read. */
    static String describe(HttpMessageNotReadableException unreadable) {
        JacksonException json = find(unreadable, JacksonException.class);
        if (json != null) {
            return describe(json);
        }
        String message = unreadable.getMessage();
        if (message != null && message.startsWith("Required request body is missing")) {
            return "the request has no body: send the JSON the operation takes";
        }
        return "the request body cannot be read";
    }

    private static String describe(JacksonException json) {
        String field = field(json);
        if (json instanceof UnstorableTextException unstorable) {
            return field + ": " + unstorable.rule();
        }
        if (json instanceof PropertyBindingException) {
            return field + ": is not a field of this request";
        }
        if (json instanceof InvalidFormatException invalid) {
            return field + ": must be " + expected(invalid.getTargetType()) + ", not " + shown(invalid.getValue());
        }
        if (json instanceof MismatchedInputException mismatched) {
            String expected = expected(mismatched.getTargetType());
            if (field.isEmpty()) {
                String message = mismatched.getOriginalMessage();
                return message != null && message.startsWith("Trailing token")
                        ? "the body is not valid JSON: it goes on after its value" + where(json)
                        : "the body must be " + expected;
            }
            JsonToken token = mismatched.getCurrentToken();
            if (token == JsonToken.END_OBJECT) {
                // the object ended without the field: a creator property is missing
                return field + ": is missing; it must be " + expected;
            }
            return field + ": must be " + expected + (token == null ? "" : ", not " + shown(token));
        }
        if (json instanceof InputCoercionException || json instanceof StreamConstraintsException) {
            return (field.isEmpty() ? "the body" : field) + ": " + json.getOriginalMessage();
        }
        if (json instanceof UnexpectedEndOfInputException) {
            return "the body is not valid JSON: it ends too early" + where(json);
        }
        String duplicate = duplicateKey(json);
        if (duplicate != null) {
            return duplicate + ": is given twice in the same object; give each field once" + where(json);
        }
        if (json instanceof StreamReadException) {
            return "the body is not valid JSON: " + firstLine(json.getOriginalMessage()) + where(json);
        }
        return (field.isEmpty() ? "the body" : field) + ": " + firstLine(json.getOriginalMessage());
    }

    /** The key an object repeats, as the parser names it when it detects duplicates; else null. */
    private static String duplicateKey(JacksonException json) {
        String message = json.getOriginalMessage();
        Matcher duplicate = message == null ? null : DUPLICATE.matcher(message);
        return duplicate != null && duplicate.find() ? duplicate.group(1) : null;
    }

    /** The path to the value at fault, as the client wrote it: {@code amount}, {@code lines[2].sku}. */
    private static String field(JacksonException json) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : json.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** What a value of a Java type looks like in JSON, in a client's words. */
    static String expected(Class<?> type) {
        if (type == null) {
            return "another value";
        }
        if (type == long.class || type == int.class || type == short.class || type == byte.class
                || type == Long.class || type == Integer.class || type == Short.class || type == Byte.class
                || type == BigInteger.class) {
            return "a whole number";
        }
        if (type == double.class || type == float.class || Number.class.isAssignableFrom(type)
                || type == BigDecimal.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a JSON array";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "a date or time in ISO 8601 form";
        }
        if (type.isPrimitive() || type.getName().startsWith("java.")) {
            return Map.class.isAssignableFrom(type) ? "a JSON object" : "a " + type.getSimpleName();
        }
        return "a JSON object";
    }

    private static String shown(Object value) {
        if (value instanceof CharSequence text) {
            String visible = text.toString().replaceAll("\\p{Cntrl}", "?");
            return "\"" + (visible.length() > 40 ? visible.substring(0, 40) + "…" : visible) + "\"";
        }
        return String.valueOf(value);
    }

    private static String shown(JsonToken token) {
        return switch (token) {
            case VALUE_NULL -> "null";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "a whole number";
            case VALUE_NUMBER_FLOAT -> "a fraction";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case START_ARRAY, END_ARRAY -> "an array";
            case START_OBJECT, PROPERTY_NAME -> "an object";
            default -> token.name().toLowerCase();
        };
    }

    private static String where(JacksonException json) {
        TokenStreamLocation location = json.getLocation();
        return location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    /** The first throwable of a type in a cause chain, or null. */
    static <T extends Throwable> T find(Throwable thrown, Class<T> type) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
