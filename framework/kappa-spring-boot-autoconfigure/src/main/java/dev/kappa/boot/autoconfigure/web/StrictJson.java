package dev.kappa.boot.autoconfigure.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * Makes the application's JSON mapper refuse what Jackson would otherwise accept quietly: {@code 1.5} or
 * {@code "100"} for a whole number (a cents amount read as 1 or 100), a string for a number or a boolean, a number
 * or a boolean for a string field, a null for a primitive, a key given twice in one object (Jackson keeps the last);
 * and a string holding U+0000 or half of a UTF-16 surrogate pair, which the event store cannot keep. A body read as a
 * whole into a {@code Map<String, String>} or a {@code List<String>} — as Spring Boot's actuator reads the arguments of
 * its write operations — still takes a number or a boolean as its text: nothing of the application's is typed there.
 * The event store's codec has its own mapper and is not affected.
 */
final class StrictJson implements JsonMapperBuilderCustomizer {

    @Override
    public void customize(JsonMapper.Builder builder) {
        builder.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .withCoercionConfig(LogicalType.Integer, config -> config
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Float, config -> config
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, config -> config
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Textual, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .addModule(new SimpleModule("kappa-strict-json").addDeserializer(String.class, new CheckedStrings()));
    }

    /**
     * Jackson's own reading of strings, coercion rules and all, then a check for U+0000 and a lone surrogate. Outside
     * any property (the values of a body read as a map or a list), a number or a boolean is taken as its text.
     */
    static class CheckedStrings extends StringDeserializer {

        @Override
        public ValueDeserializer<?> createContextual(DeserializationContext context, BeanProperty property) {
            return property == null ? new UntypedStrings() : this;
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) {
            return checked(parser, super.deserialize(parser, context));
        }

        static String checked(JsonParser parser, String text) {
            if (text == null) {
                return null;
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\0') {
                    throw new UnstorableTextException(parser, UnstorableTextException.Reason.NUL);
                }
                boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1));
                if (paired) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    throw new UnstorableTextException(parser, UnstorableTextException.Reason.LONE_SURROGATE);
                }
            }
            return text;
        }
    }

    /** The strings of a body read as a map or list of strings, where {@code 3} or {@code true} means its text. */
    static final class UntypedStrings extends CheckedStrings {

        @Override
        public ValueDeserializer<?> createContextual(DeserializationContext context, BeanProperty property) {
            return this;
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT
                    || token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
                return parser.getString();
            }
            return super.deserialize(parser, context);
        }
    }
}
