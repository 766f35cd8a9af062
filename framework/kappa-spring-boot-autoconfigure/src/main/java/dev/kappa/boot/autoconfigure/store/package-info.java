/**
 * Auto-configuration of the event store on the application's data source: Kappa's tables, migrated at start-up,
 * a codec that knows every event type the application uses, scheduled compaction and connection pool defaults.
 * {@link dev.kappa.boot.autoconfigure.store.KappaCodecCustomizer} adds to the codec.
 */
package dev.kappa.boot.autoconfigure.store;
