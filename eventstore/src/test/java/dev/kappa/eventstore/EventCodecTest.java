package dev.kappa.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

class EventCodecTest {

    private static final EventMetadata METADATA =
            new EventMetadata(UUID.randomUUID(), null, null, Instant.parse("2025-01-01T00:00:00Z"), Map.of());

    enum Currency { EUR, USD }

    record Money(BigDecimal amount, Currency currency) {
    }

    record Address(String street, String city) {
    }

    @EventType("Account.Opened")
    record AccountOpened(String accountId, Address address, List<String> owners, Map<String, Money> limits,
                         Instant openedAt, Money initialDeposit) {
    }

    record MoneyDeposited(String accountId, Money amount) {
    }

    sealed interface CartEvent permits ItemAdded, ItemRemoved, CheckoutEvent {
    }

    record ItemAdded(String sku, int quantity) implements CartEvent {
    }

    record ItemRemoved(String sku) implements CartEvent {
    }

    sealed interface CheckoutEvent extends CartEvent permits CheckedOut {
    }

    record CheckedOut(String orderId) implements CheckoutEvent {
    }

    interface OpenEvent {
    }

    @EventType("MoneyDeposited")
    record OtherMoneyDeposited(String accountId) {
    }

    @EventType(" ")
    record Unnamed(String value) {
    }

    @EventType("Customer.Registered")
    record CustomerRegistered(String customerId, String fullName, String country) {
    }

    /** Jackson cannot write it: reading its one property fails. */
    static final class Exploding {
        public String getValue() {
            throw new IllegalStateException("boom");
        }
    }

    record HoldsExploding(String id, Exploding exploding) {
    }

    record Snapshot(String accountId, BigDecimal balance, List<Instant> history) {
    }

    private static LogRecord record(long offset, String type, String payload) {
        return new LogRecord(offset, "account-1", 1, type, payload, METADATA, null, false);
    }

    private static LogRecord recordOf(long offset, EncodedEvent encoded) {
        return record(offset, encoded.type(), encoded.payload());
    }

    // registration and naming

    @Test
    void roundTripKeepsNestedRecordsListsMapsInstantsDecimalsAndEnums() {
        // given
        EventCodec codec = EventCodec.builder().register(AccountOpened.class).build();
        AccountOpened event = new AccountOpened("acc-1", new Address("Main St 1", "Utrecht"), List.of("ann", "bob"),
                Map.of("daily", new Money(new BigDecimal("500.00"), Currency.EUR),
                        "monthly", new Money(new BigDecimal("10000.50"), Currency.USD)),
                Instant.parse("2025-03-04T05:06:07.123456Z"), new Money(new BigDecimal("0.10"), Currency.EUR));

        // when
        EncodedEvent encoded = codec.encode(event);
        Object decoded = codec.decode(recordOf(1, encoded));

        // then
        assertThat(encoded.type()).isEqualTo("Account.Opened");
        assertThat(encoded.payload()).contains("\"2025-03-04T05:06:07.123456Z\"", "\"EUR\"");
        assertThat(decoded).isEqualTo(event);
    }

    @Test
    void eventTypeAnnotationNamesTheTypeAndTheSimpleNameIsTheDefault() {
        // given
        EventCodec codec = EventCodec.builder().register(AccountOpened.class, MoneyDeposited.class).build();

        // when / then
        assertThat(codec.typeName(AccountOpened.class)).isEqualTo("Account.Opened");
        assertThat(codec.typeName(MoneyDeposited.class)).isEqualTo("MoneyDeposited");
        assertThat(codec.encode(new MoneyDeposited("acc-1", new Money(BigDecimal.ONE, Currency.EUR))).type())
                .isEqualTo("MoneyDeposited");
    }

    @Test
    void registeringASealedInterfaceRegistersItsPermittedRecordsRecursively() {
        // given
        EventCodec codec = EventCodec.builder().register(CartEvent.class).build();

        // when / then
        assertThat(codec.typeName(ItemAdded.class)).isEqualTo("ItemAdded");
        assertThat(codec.typeName(ItemRemoved.class)).isEqualTo("ItemRemoved");
        assertThat(codec.typeName(CheckedOut.class)).isEqualTo("CheckedOut");
        assertThat(codec.decode(recordOf(1, codec.encode(new CheckedOut("o-1"))), CartEvent.class))
                .isEqualTo(new CheckedOut("o-1"));
    }

    @Test
    void registeringTheSameClassTwiceIsAllowed() {
        // given
        EventCodec.Builder builder = EventCodec.builder().register(ItemAdded.class, CartEvent.class);

        // when
        EventCodec codec = builder.register(ItemAdded.class).build();

        // then
        assertThat(codec.typeName(ItemAdded.class)).isEqualTo("ItemAdded");
    }

    @Test
    void registeringANonSealedInterfaceIsRejected() {
        // given
        EventCodec.Builder builder = EventCodec.builder();

        // when / then
        assertThatThrownBy(() -> builder.register(OpenEvent.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(OpenEvent.class.getName())
                .hasMessageContaining("register its concrete classes, or make it sealed");
    }

    @Test
    void aTypeNameTakenByAnotherClassIsRejectedNamingBothClassesAndTheName() {
        // given
        EventCodec.Builder builder = EventCodec.builder().register(MoneyDeposited.class);

        // when / then
        assertThatThrownBy(() -> builder.register(OtherMoneyDeposited.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'MoneyDeposited'")
                .hasMessageContaining(MoneyDeposited.class.getName())
                .hasMessageContaining(OtherMoneyDeposited.class.getName());
    }

    @Test
    void aFailedRegistrationLeavesTheBuilderUnchanged() {
        // given
        EventCodec.Builder builder = EventCodec.builder().register(MoneyDeposited.class);

        // when
        assertThatThrownBy(() -> builder.register(ItemAdded.class, OtherMoneyDeposited.class))
                .isInstanceOf(IllegalArgumentException.class);
        EventCodec codec = builder.build();

        // then
        assertThat(codec.classOf("ItemAdded")).isEmpty();
    }

    @Test
    void aBlankTypeNameIsRejected() {
        // given
        EventCodec.Builder builder = EventCodec.builder();

        // when / then
        assertThatThrownBy(() -> builder.register(Unnamed.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Unnamed.class.getName())
                .hasMessageContaining("must not be blank");
    }

    @Test
    void registeringNullIsRejectedWithItsPosition() {
        // given
        EventCodec.Builder builder = EventCodec.builder();

        // when / then
        assertThatThrownBy(() -> builder.register(ItemAdded.class, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("event class at index 1 must not be null");
    }

    // encoding

    @Test
    void encodingAnUnregisteredClassSaysHowToRegisterIt() {
        // given
        EventCodec codec = EventCodec.builder().register(ItemAdded.class).build();

        // when / then
        assertThatThrownBy(() -> codec.encode(new MoneyDeposited("acc-1", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("event type " + MoneyDeposited.class.getName() + " is not registered with the EventCodec;"
                        + " register it with EventCodec.builder().register(MoneyDeposited.class)");
    }

    @Test
    void encodingNullIsRejected() {
        // given
        EventCodec codec = EventCodec.builder().build();

        // when / then
        assertThatThrownBy(() -> codec.encode(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("event must not be null");
    }

    @Test
    void encodingAPayloadJacksonCannotWriteNamesTheClassAndJacksonsMessage() {
        // given
        EventCodec codec = EventCodec.builder().register(HoldsExploding.class).build();

        // when
        IllegalArgumentException failure = catchThrowableOfType(IllegalArgumentException.class,
                () -> codec.encode(new HoldsExploding("x-1", new Exploding())));

        // then
        assertThat(failure).hasMessageContaining(HoldsExploding.class.getName())
                .hasMessageContaining("'HoldsExploding'")
                .hasMessageContaining("boom")
                .hasCauseInstanceOf(JacksonException.class);
    }

    @Test
    void typeNameOfAnUnregisteredClassIsRejected() {
        // given
        EventCodec codec = EventCodec.builder().build();

        // when / then
        assertThatThrownBy(() -> codec.typeName(ItemAdded.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not registered");
    }

    // decoding

    @Test
    void decodingAnUnknownTypeNamesTypeAndOffset() {
        // given
        EventCodec codec = EventCodec.builder().register(ItemAdded.class).build();

        // when
        UnknownEventTypeException failure = catchThrowableOfType(UnknownEventTypeException.class,
                () -> codec.decode(record(42, "Vanished", "{}")));

        // then
        assertThat(failure.type()).isEqualTo("Vanished");
        assertThat(failure.offset()).isEqualTo(42);
        assertThat(failure).hasMessageContaining("'Vanished'").hasMessageContaining("offset 42");
    }

    @Test
    void decodingIgnoresPropertiesTheClassDoesNotHave() {
        // given
        EventCodec codec = EventCodec.builder().register(ItemAdded.class).build();

        // when
        Object decoded = codec.decode(record(1, "ItemAdded", """
                {"sku": "A-1", "quantity": 2, "addedBy": "a newer version", "extra": {"nested": [1, 2]}}"""));

        // then
        assertThat(decoded).isEqualTo(new ItemAdded("A-1", 2));
    }

    @Test
    void aConfiguredMapperReplacesTheTolerantDefault() {
        // given
        EventCodec codec = EventCodec.builder()
                .register(ItemAdded.class)
                .jsonMapper(JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build())
                .build();

        // when / then
        assertThatThrownBy(() -> codec.decode(record(1, "ItemAdded", """
                {"sku": "A-1", "quantity": 1, "extra": 1}""")))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("extra");
    }

    @Test
    void decodingAPayloadThatDoesNotFitNamesTypeOffsetAndStream() {
        // given
        EventCodec codec = EventCodec.builder().register(ItemAdded.class).build();

        // when
        EventStoreException failure = catchThrowableOfType(EventStoreException.class,
                () -> codec.decode(record(7, "ItemAdded", "{\"sku\": \"A-1\", \"quantity\": \"many\"}")));

        // then
        assertThat(failure).hasMessageContaining("'ItemAdded'")
                .hasMessageContaining("offset 7")
                .hasMessageContaining("'account-1'")
                .hasMessageContaining(((JacksonException) failure.getCause()).getOriginalMessage())
                .hasCauseInstanceOf(JacksonException.class);
    }

    @Test
    void decodingANullPayloadFails() {
        // given
        EventCodec codec = EventCodec.builder().register(ItemAdded.class).build();

        // when / then
        assertThatThrownBy(() -> codec.decode(record(7, "ItemAdded", "null")))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("offset 7");
    }

    @Test
    void decodingAsTheRecordsClassOrASupertypeReturnsIt() {
        // given
        EventCodec codec = EventCodec.builder().register(CartEvent.class).build();
        LogRecord record = recordOf(3, codec.encode(new ItemRemoved("A-1")));

        // when
        ItemRemoved exact = codec.decode(record, ItemRemoved.class);
        CartEvent general = codec.decode(record, CartEvent.class);

        // then
        assertThat(exact).isEqualTo(new ItemRemoved("A-1"));
        assertThat(general).isEqualTo(exact);
    }

    @Test
    void decodingAsAnUnrelatedClassFailsNamingBothClasses() {
        // given
        EventCodec codec = EventCodec.builder().register(CartEvent.class).build();
        LogRecord record = recordOf(3, codec.encode(new ItemRemoved("A-1")));

        // when / then
        assertThatThrownBy(() -> codec.decode(record, ItemAdded.class))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("offset 3")
                .hasMessageContaining(ItemRemoved.class.getName())
                .hasMessageContaining("not a " + ItemAdded.class.getName());
    }

    // upcasting

    @Test
    void aSingleUpcasterRenamesAndAddsFields() {
        // given
        EventCodec codec = EventCodec.builder()
                .register(CustomerRegistered.class)
                .upcaster(Upcaster.of("CustomerSignedUp", "Customer.Registered", json -> {
                    json.set("fullName", json.remove("name"));
                    return json.put("country", "NL");
                }))
                .build();

        // when
        Object decoded = codec.decode(record(5, "CustomerSignedUp", "{\"customerId\": \"c-1\", \"name\": \"Ann\"}"));

        // then
        assertThat(decoded).isEqualTo(new CustomerRegistered("c-1", "Ann", "NL"));
    }

    @Test
    void chainedUpcastersApplyInOrder() {
        // given
        EventCodec codec = EventCodec.builder()
                .register(CustomerRegistered.class)
                .upcaster(Upcaster.of("Customer.Registered.v2", "Customer.Registered",
                        json -> json.put("country", json.get("country").asString().toUpperCase())))
                .upcaster(Upcaster.of("Customer.Registered.v1", "Customer.Registered.v2",
                        json -> json.put("country", "nl")))
                .build();

        // when
        Object fromV1 = codec.decode(record(1, "Customer.Registered.v1",
                "{\"customerId\": \"c-1\", \"fullName\": \"Ann\"}"));
        Object fromV2 = codec.decode(record(2, "Customer.Registered.v2",
                "{\"customerId\": \"c-2\", \"fullName\": \"Bob\", \"country\": \"be\"}"));

        // then
        assertThat(fromV1).isEqualTo(new CustomerRegistered("c-1", "Ann", "NL"));
        assertThat(fromV2).isEqualTo(new CustomerRegistered("c-2", "Bob", "BE"));
    }

    @Test
    void classOfResolvesCurrentAndUpcastNamesAndIsEmptyForUnknownOnes() {
        // given
        EventCodec codec = EventCodec.builder()
                .register(CustomerRegistered.class)
                .upcaster(Upcaster.of("Customer.Registered.v2", "Customer.Registered", json -> json))
                .upcaster(Upcaster.of("Customer.Registered.v1", "Customer.Registered.v2", json -> json))
                .build();

        // when / then
        assertThat(codec.classOf("Customer.Registered")).contains(CustomerRegistered.class);
        assertThat(codec.classOf("Customer.Registered.v1")).contains(CustomerRegistered.class);
        assertThat(codec.classOf("Customer.Registered.v2")).contains(CustomerRegistered.class);
        assertThat(codec.classOf("CustomerRegistered")).isEmpty();
    }

    @Test
    void upcastingAPayloadThatIsNotAnObjectFails() {
        // given
        EventCodec codec = EventCodec.builder()
                .register(CustomerRegistered.class)
                .upcaster(Upcaster.of("CustomerSignedUp", "Customer.Registered", json -> json))
                .build();

        // when / then
        assertThatThrownBy(() -> codec.decode(record(9, "CustomerSignedUp", "[1, 2]")))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("offset 9")
                .hasMessageContaining("not a JSON object");
    }

    @Test
    void aFailingUpcasterIsNamedWithTheRecord() {
        // given
        EventCodec codec = EventCodec.builder()
                .register(CustomerRegistered.class)
                .upcaster(Upcaster.of("CustomerSignedUp", "Customer.Registered", json -> null))
                .build();

        // when / then
        assertThatThrownBy(() -> codec.decode(record(9, "CustomerSignedUp", "{}")))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("CustomerSignedUp -> Customer.Registered")
                .hasMessageContaining("offset 9")
                .hasMessageContaining("returned null");
    }

    @Test
    void aSecondUpcasterFromTheSameNameIsRejected() {
        // given
        EventCodec.Builder builder = EventCodec.builder()
                .upcaster(Upcaster.of("CustomerSignedUp", "Customer.Registered", json -> json));
        Upcaster second = Upcaster.of("CustomerSignedUp", "Customer.Registered.v2", json -> json);

        // when / then
        assertThatThrownBy(() -> builder.upcaster(second))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("both read 'CustomerSignedUp'");
    }

    @Test
    void anUpcasterReadingARegisteredNameIsRejected() {
        // given
        EventCodec.Builder builder = EventCodec.builder()
                .register(CustomerRegistered.class)
                .upcaster(Upcaster.of("Customer.Registered", "Customer.Registered.v2", json -> json));

        // when / then
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reads 'Customer.Registered'")
                .hasMessageContaining(CustomerRegistered.class.getName());
    }

    @Test
    void upcastersFormingACycleAreRejectedNamingTheChain() {
        // given
        EventCodec.Builder builder = EventCodec.builder()
                .register(CustomerRegistered.class)
                .upcaster(Upcaster.of("A", "B", json -> json))
                .upcaster(Upcaster.of("B", "C", json -> json))
                .upcaster(Upcaster.of("C", "A", json -> json));

        // when / then
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cycle: A -> B -> C -> A");
    }

    @Test
    void anUpcasterChainEndingInAnUnregisteredNameIsRejected() {
        // given
        EventCodec.Builder builder = EventCodec.builder()
                .register(CustomerRegistered.class)
                .upcaster(Upcaster.of("CustomerSignedUp.v1", "CustomerSignedUp.v2", json -> json))
                .upcaster(Upcaster.of("CustomerSignedUp.v2", "CustomerRegistered", json -> json));

        // when / then
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CustomerSignedUp.v1 -> CustomerSignedUp.v2 -> CustomerRegistered")
                .hasMessageContaining("ends in 'CustomerRegistered', which is not a registered event type");
    }

    // non-event values

    @Test
    void valuesRoundTripWithTheCodecsSettings() {
        // given
        EventCodec codec = EventCodec.builder().build();
        Snapshot state = new Snapshot("acc-1", new BigDecimal("12.30"), List.of(Instant.parse("2025-01-02T03:04:05Z")));

        // when
        String json = codec.writeValue(state);
        Snapshot read = codec.readValue(json.replace("}", ", \"addedLater\": true}"), Snapshot.class);

        // then
        assertThat(read).isEqualTo(state);
    }

    @Test
    void writingAValueJacksonCannotWriteIsAnIllegalArgument() {
        // given
        EventCodec codec = EventCodec.builder().build();

        // when / then
        assertThatThrownBy(() -> codec.writeValue(new Exploding()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Exploding.class.getName())
                .hasMessageContaining("boom")
                .hasCauseInstanceOf(JacksonException.class);
    }

    @Test
    void readingJsonThatDoesNotFitIsAnEventStoreFailure() {
        // given
        EventCodec codec = EventCodec.builder().build();

        // when / then
        assertThatThrownBy(() -> codec.readValue("{\"balance\": \"lots\"}", Snapshot.class))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining(Snapshot.class.getName())
                .hasCauseInstanceOf(JacksonException.class);
    }
}
