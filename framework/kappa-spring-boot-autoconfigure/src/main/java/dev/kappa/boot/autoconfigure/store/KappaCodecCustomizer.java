package dev.kappa.boot.autoconfigure.store;

import dev.kappa.eventstore.EventCodec;

/**
 * Adds to the auto-configured {@link EventCodec}: event types found nowhere else, upcasters, a JSON mapper. Define
 * one as a bean. ({@code Upcaster} beans are registered without one.)
 */
@FunctionalInterface
public interface KappaCodecCustomizer {

    /** Adjusts the codec before it is built. */
    void customize(EventCodec.Builder codec);
}
