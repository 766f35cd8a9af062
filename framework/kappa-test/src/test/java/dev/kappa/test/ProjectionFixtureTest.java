package dev.kappa.test;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.KappaSchema;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.postgres.embedded.junit.TestDatabase;
import dev.kappa.test.Account.AccountClosed;
import dev.kappa.test.Account.AccountOpened;
import dev.kappa.test.Account.MoneyDeposited;
import dev.kappa.test.Account.MoneyWithdrawn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProjectionFixtureTest {

    private static ProjectionFixture<Balances> balances() {
        return ProjectionFixture.of(dataSource -> new Balances(new JdbcTemplate(dataSource)));
    }

    @Test
    void aBlueGreenProjectionsRowsAreReadThroughTheViewReadersQuery() {
        try (ProjectionFixture<Balances> fixture = balances()) {
            fixture.givenStream("account-42", new AccountOpened("42", "Ada"), new MoneyDeposited("42", 100))
                    .givenStream("account-7", new AccountOpened("7", "Grace"))
                    .givenStream("account-42", new MoneyWithdrawn("42", 30));

            assertThat(fixture.rows("account_balance")).containsExactly(
                    Map.of("account_id", "42", "owner", "Ada", "balance", 70L, "version", 3L),
                    Map.of("account_id", "7", "owner", "Grace", "balance", 0L, "version", 1L));
            assertThat(fixture.tables().generation()).isEqualTo(1);
            assertThat(fixture.tables().name("account_balance")).isEqualTo("account_balance_g1");
            assertThat(fixture.query("SELECT balance FROM account_balance_g1 WHERE account_id = ?", "42"))
                    .containsExactly(Map.of("balance", 70L));
        }
    }

    @Test
    void eventsGivenWithoutAStreamGoToOneStreamInTheOrderGiven() {
        try (ProjectionFixture<Balances> fixture = balances()) {
            fixture.given(new AccountOpened("42", "Ada")).given(new MoneyDeposited("42", 5), new MoneyDeposited("42", 6));

            assertThat(fixture.rows("account_balance")).containsExactly(
                    Map.of("account_id", "42", "owner", "Ada", "balance", 11L, "version", 3L));
            assertThat(fixture.head()).isEqualTo(3);
        }
    }

    @Test
    void aRebuildSwitchesReadersToTheNextGenerationWithTheSameRows() {
        try (ProjectionFixture<Balances> fixture = balances()) {
            fixture.given(new AccountOpened("42", "Ada"), new MoneyDeposited("42", 100));

            fixture.rebuild();

            assertThat(fixture.tables().name("account_balance")).isEqualTo("account_balance_g2");
            assertThat(fixture.rows("account_balance")).containsExactly(
                    Map.of("account_id", "42", "owner", "Ada", "balance", 100L, "version", 2L));
        }
    }

    @Test
    void aProjectionOnTheCallersDatabaseWritesTheApplicationsTableWithWhereEachEventSits() {
        try (TestDatabase database = TestDatabase.create()) {
            JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());
            jdbc.execute(Movements.CREATE_TABLE);
            try (ProjectionFixture<Movements> fixture = ProjectionFixture.of(new Movements(jdbc))
                    .on(database.dataSource())) {
                fixture.givenStream("account-42", new AccountOpened("42", "Ada"),
                        NewEvent.of(new MoneyDeposited("42", 100)).withCorrelationId("request-1"));

                assertThat(fixture.rows("movements"))
                        .extracting(row -> List.of(row.get("log_offset"), row.get("stream_id"),
                                row.get("stream_version"), row.get("event_type"), String.valueOf(row.get("correlation_id"))))
                        .containsExactly(List.of(1L, "account-42", 1L, "AccountOpened", "null"),
                                List.of(2L, "account-42", 2L, "MoneyDeposited", "request-1"));
                assertThat(fixture.tables().name("movements")).isEqualTo("movements");
            }
            assertThat(jdbc.queryForObject("SELECT count(*) FROM movements", Long.class))
                    .as("the caller's database keeps what the fixture wrote").isEqualTo(2);
        }
    }

    @Test
    void aResetToAnOffsetRunsTheResetHandlerAndReplaysTheLogAfterIt() {
        try (TestDatabase database = TestDatabase.create()) {
            JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());
            jdbc.execute(Movements.CREATE_TABLE);
            try (ProjectionFixture<Movements> fixture = ProjectionFixture.of(new Movements(jdbc))
                    .on(database.dataSource())) {
                fixture.given(new AccountOpened("42", "Ada"), new MoneyDeposited("42", 1), new MoneyDeposited("42", 2));
                jdbc.update("UPDATE movements SET stream_id = 'marked'");

                fixture.reset(1);

                assertThat(fixture.rows("movements")).extracting(row -> row.get("stream_id"))
                        .containsExactly("marked", "given", "given");
            }
        }
    }

    @Test
    void aHandlersWritesOnTheFixturesDataSourceRollBackWithItsFailingEvent() {
        try (TestDatabase database = TestDatabase.create()) {
            JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());
            jdbc.execute(Movements.CREATE_TABLE);
            try (ProjectionFixture<Movements> fixture = ProjectionFixture.of(new Movements(jdbc))
                    .on(database.dataSource())) {
                assertThatThrownBy(() -> fixture.given(new AccountOpened("42", "Ada"), new AccountClosed("poison")))
                        .isInstanceOf(AssertionError.class)
                        .hasMessageContaining("stopped at the event at offset 2 (AccountClosed)");

                assertThat(fixture.rows("movements")).extracting(row -> row.get("log_offset"))
                        .as("the failing event's row went with its transaction").containsExactly(1L);
            }
        }
    }

    @Test
    void anInMemoryProjectionsStateIsReadFromTheProjection() {
        try (ProjectionFixture<Owners> fixture = ProjectionFixture.of(new Owners())) {
            fixture.given(new AccountOpened("42", "Ada"), new AccountOpened("7", "Grace"), new AccountClosed("7"));

            assertThat(fixture.projection().owner("42")).contains("Ada");
            assertThat(fixture.projection().owner("7")).isEmpty();
            assertThat(fixture.projection().count()).isEqualTo(1);
        }
    }

    @Test
    void anInMemoryProjectionIsResetThroughItsResetHandler() {
        Owners owners = new Owners();
        try (ProjectionFixture<Owners> fixture = ProjectionFixture.of(owners)) {
            fixture.given(new AccountOpened("42", "Ada"));

            fixture.reset(0);

            assertThat(owners.owner("42")).as("replayed after the reset emptied it").contains("Ada");
        }
    }

    @Test
    void aHandlerThatThrowsFailsTheGivenWithTheEventAndTheErrorAfterTheEventsBeforeItApplied() {
        try (ProjectionFixture<Balances> fixture = balances()) {
            fixture.given(new AccountOpened("42", "Ada"));

            assertThatThrownBy(() -> fixture.given(new MoneyDeposited("42", 5), new MoneyWithdrawn("42", -1)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessage("projection 'balances' stopped at the event at offset 3 (MoneyWithdrawn): its handler"
                            + " threw java.lang.IllegalArgumentException: a withdrawal of -1 cannot be applied (the"
                            + " stack trace is in the log output)");
            assertThat(fixture.rows("account_balance")).as("stopped where production stops: the deposit before it applied")
                    .containsExactly(Map.of("account_id", "42", "owner", "Ada", "balance", 5L, "version", 2L));
        }
    }

    @Test
    void aFixtureWithoutADataSourceRunsOnAFreshDatabaseOfItsOwnAndDropsItWhenClosed() {
        String name;
        try (ProjectionFixture<Owners> fixture = ProjectionFixture.of(new Owners())) {
            fixture.given(new AccountOpened("42", "Ada"));
            name = (String) fixture.query("SELECT current_database() AS name").get(0).get("name");
        }
        try (TestDatabase other = TestDatabase.create()) {
            assertThat(new JdbcTemplate(other.dataSource()).queryForObject(
                    "SELECT count(*) FROM pg_database WHERE datname = ?", Long.class, name)).isZero();
        }
    }

    @Test
    void aDatabaseWhoseLogHoldsRecordsIsRefused() {
        try (TestDatabase database = TestDatabase.create()) {
            KappaSchema.migrate(database.dataSource());
            EventCodec codec = EventCodec.builder().register(AccountOpened.class).build();
            try (EventStore store = EventStore.builder(database.dataSource()).codec(codec).build()) {
                store.append("account-42", ExpectedVersion.any(), List.of(NewEvent.of(new AccountOpened("42", "Ada"))));
            }
            try (ProjectionFixture<Owners> fixture = ProjectionFixture.of(new Owners()).on(database.dataSource())) {
                assertThatThrownBy(() -> fixture.given(new AccountOpened("7", "Grace")))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("already holds records (its head is at offset 1)")
                        .hasMessageContaining("give each fixture a fresh database");
            }
        }
    }

    @Test
    void anObjectThatIsNotAProjectionIsRefused() {
        try (ProjectionFixture<Object> fixture = ProjectionFixture.of(new Object())) {
            assertThatThrownBy(() -> fixture.given(new AccountOpened("42", "Ada")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("java.lang.Object is not annotated @Projection");
        }
    }

    @Test
    void theDataSourceAndCodecCannotChangeOnceTheFixtureHasStarted() {
        try (ProjectionFixture<Owners> fixture = ProjectionFixture.of(new Owners())) {
            fixture.given(new AccountOpened("42", "Ada"));

            assertThatThrownBy(() -> fixture.codec(EventCodec.builder().build()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("codec(codec) must come before given(...): the fixture has started");
        }
    }

    @Test
    void aTableNameThatIsNotAnIdentifierIsRefused() {
        try (ProjectionFixture<Owners> fixture = ProjectionFixture.of(new Owners())) {
            assertThatThrownBy(() -> fixture.rows("owners; DROP TABLE x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a lower-case SQL identifier");
        }
    }
}
