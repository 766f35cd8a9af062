package dev.kappa.framework;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.kappa.eventstore.AppendRequest;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.IdempotencyKeyReusedException;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.framework.bank.BankEvents.MoneyDeposited;

import dev.kappa.framework.bank.BankCommands.Deposit;
import dev.kappa.framework.bank.BankCommands.OpenAccount;
import dev.kappa.framework.bank.BankCommands.Withdraw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class IdempotentCommandsIntegrationTest extends StoreIntegrationTest {

    IdempotentCommandsIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void theSameCommandSentTwiceWithOneKeyAppliesOnce() {
        gateway.sendAndWait(new OpenAccount("42", "Ada"));
        CommandMessage<Deposit> deposit = CommandMessage.of(new Deposit("42", 100)).withIdempotencyKey("req-1");

        CommandResult first = gateway.sendAndWait(deposit);
        CommandResult retry = gateway.sendAndWait(CommandMessage.of(new Deposit("42", 100))
                .withIdempotencyKey("req-1"));

        assertThat(first.alreadyApplied()).isFalse();
        assertThat(retry).isEqualTo(new CommandResult("42", "account-42", 2, 2, 2, 1, true));
        assertThat(store.readStream("account-42", 1)).hasSize(2);
    }

    @Test
    void aRetryIsAnsweredWithTheFirstResultEvenWhenTheCommandWouldNowBeRejected() {
        gateway.sendAndWait(new OpenAccount("42", "Ada"));
        gateway.sendAndWait(new Deposit("42", 100));
        CommandResult first = gateway.sendAndWait(CommandMessage.of(new Withdraw("42", 100)).withIdempotencyKey("w-1"));

        // the balance is 0 now: run again, the withdrawal would fail; as a retry it returns what it did the first time
        CommandResult retry = gateway.sendAndWait(CommandMessage.of(new Withdraw("42", 100)).withIdempotencyKey("w-1"));

        assertThat(retry).isEqualTo(new CommandResult("42", "account-42", 3, 3, 3, 1, true));
        assertThat(first.lastOffset()).isEqualTo(retry.lastOffset());
    }

    @Test
    void theSameCommandSentConcurrentlyWithOneKeyAppliesOnce() throws Exception {
        gateway.sendAndWait(new OpenAccount("42", "Ada"));
        CommandGateway secondProcess = openGateway(builder -> { });
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CyclicBarrier start = new CyclicBarrier(8);
        List<Future<CommandResult>> sends = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            CommandGateway process = i % 2 == 0 ? gateway : secondProcess;
            sends.add(threads.submit(() -> {
                start.await(30, TimeUnit.SECONDS);
                return process.sendAndWait(CommandMessage.of(new Deposit("42", 7)).withIdempotencyKey("payment-9"));
            }));
        }
        List<CommandResult> results = new ArrayList<>();
        for (Future<CommandResult> send : sends) {
            results.add(send.get(1, TimeUnit.MINUTES));
        }
        threads.shutdown();

        assertThat(results).filteredOn(result -> !result.alreadyApplied()).hasSize(1);
        assertThat(results).extracting(CommandResult::lastOffset).containsOnly(2L);
        assertThat(store.readStream("account-42", 1)).hasSize(2);
        // the gateways' cached states agree with the log: the next deposit lands at version 3
        assertThat(secondProcess.sendAndWait(new Deposit("42", 1)).version()).isEqualTo(3);
        assertThat(gateway.sendAndWait(new Deposit("42", 1)).version()).isEqualTo(4);
    }

    @Test
    void aCreatingCommandSentTwiceWithOneKeyCreatesOnce() {
        CommandResult first = gateway.sendAndWait(CommandMessage.of(new OpenAccount("7", "Bob"))
                .withIdempotencyKey("open-7"));

        CommandResult retry = gateway.sendAndWait(CommandMessage.of(new OpenAccount("7", "Bob"))
                .withIdempotencyKey("open-7"));

        assertThat(retry).isEqualTo(new CommandResult("7", "account-7", 1, first.firstOffset(), first.lastOffset(), 1,
                true));
    }

    @Test
    void aRejectedCommandRecordsNothingSoItsKeyCanBeRetried() {
        gateway.sendAndWait(new OpenAccount("42", "Ada"));
        CommandMessage<Withdraw> withdraw = CommandMessage.of(new Withdraw("42", 50)).withIdempotencyKey("w-2");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> gateway.sendAndWait(withdraw))
                .isInstanceOf(dev.kappa.framework.bank.InsufficientFunds.class);
        gateway.sendAndWait(new Deposit("42", 50));

        CommandResult retried = gateway.sendAndWait(withdraw);

        assertThat(retried.alreadyApplied()).isFalse();
        assertThat(retried.version()).isEqualTo(3);
    }

    @Test
    void aKeyReusedWithAnotherRequestIsRefusedAndNothingIsApplied() {
        // given a deposit made under a key, for one request
        gateway.sendAndWait(new OpenAccount("42", "Ada"));
        CommandResult first = gateway.sendAndWait(
                CommandMessage.of(new Deposit("42", 100)).withIdempotencyKey("req-1", "digest-of-deposit-100"));

        // when the same key comes with another request
        assertThatThrownBy(() -> gateway.sendAndWait(
                CommandMessage.of(new Deposit("42", 5000)).withIdempotencyKey("req-1", "digest-of-deposit-5000")))
                // then it is refused, and nothing is applied
                .isInstanceOf(IdempotencyKeyReusedException.class)
                .hasMessageContaining("'req-1'")
                .hasMessageContaining("use a new key for a new request");
        assertThat(store.readStream("account-42", 1)).hasSize(2);
        // while a retry of the first request still gets its result
        assertThat(gateway.sendAndWait(
                CommandMessage.of(new Deposit("42", 100)).withIdempotencyKey("req-1", "digest-of-deposit-100")))
                .isEqualTo(new CommandResult("42", "account-42", first.version(), first.firstOffset(),
                        first.lastOffset(), 1, true));
    }

    @Test
    void aKeyReusedForACreatingCommandWithAnotherRequestIsRefused() {
        gateway.sendAndWait(CommandMessage.of(new OpenAccount("7", "Bob")).withIdempotencyKey("open", "bob"));

        assertThatThrownBy(() -> gateway.sendAndWait(
                CommandMessage.of(new OpenAccount("8", "Eve")).withIdempotencyKey("open", "eve")))
                .isInstanceOf(IdempotencyKeyReusedException.class);
        assertThat(store.streamVersion("account-8")).isZero();
    }

    @Test
    void aKeyRecordedWhileTheCommandIsDecidedIsCheckedAgainstTheRequestWhenAppending() throws Exception {
        gateway.sendAndWait(new OpenAccount("42", "Ada"));
        TransactionTemplate transaction = new TransactionTemplate(new JdbcTransactionManager(dataSource));
        List<CompletableFuture<CommandResult>> reuse = new ArrayList<>(1);

        // given another request's append with the key, not yet committed when the command looks the key up
        transaction.executeWithoutResult(status -> {
            store.append(AppendRequest.to("account-9", ExpectedVersion.any(),
                    List.of(NewEvent.of(new MoneyDeposited("9", 1)))).withIdempotencyKey("req-2", "other-request"));
            reuse.add(gateway.send(
                    CommandMessage.of(new Deposit("42", 100)).withIdempotencyKey("req-2", "this-request")));
            // the command has decided and its append waits for the log's lock, which this transaction holds
            await().atMost(Duration.ofSeconds(30)).until(() -> queryLong("""
                    SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
                       AND wait_event_type = 'Lock' AND query LIKE 'SELECT head FROM kappa_log_head%'""") == 1);
        });

        // then, once it commits, the command's append finds the key recorded for another request and is refused
        assertThatThrownBy(() -> reuse.get(0).get(30, TimeUnit.SECONDS))
                .cause().isInstanceOf(IdempotencyKeyReusedException.class);
        assertThat(store.readStream("account-42", 1)).hasSize(1);
        // and the gateway's cached state did not keep the refused decision
        assertThat(gateway.sendAndWait(new Deposit("42", 1)).version()).isEqualTo(2);
    }

    @Test
    void eightConcurrentRequestsWithOneKeyApplyOneAndRefuseTheOthers() throws Exception {
        gateway.sendAndWait(new OpenAccount("42", "Ada"));
        CommandGateway secondProcess = openGateway(builder -> { });
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CyclicBarrier start = new CyclicBarrier(8);
        List<Future<CommandResult>> sends = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            CommandGateway process = i % 2 == 0 ? gateway : secondProcess;
            long amount = 10 + i;
            sends.add(threads.submit(() -> {
                start.await(30, TimeUnit.SECONDS);
                return process.sendAndWait(CommandMessage.of(new Deposit("42", amount))
                        .withIdempotencyKey("payment-9", "deposit-" + amount));
            }));
        }
        int applied = 0;
        int refused = 0;
        for (Future<CommandResult> send : sends) {
            try {
                assertThat(send.get(1, TimeUnit.MINUTES).alreadyApplied()).isFalse();
                applied++;
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(IdempotencyKeyReusedException.class);
                refused++;
            }
        }
        threads.shutdown();

        assertThat(applied).isEqualTo(1);
        assertThat(refused).isEqualTo(7);
        assertThat(store.readStream("account-42", 1)).hasSize(2);
    }

    @Test
    void aFingerprintNeedsAKeyAndTheOneArgumentFormDropsIt() {
        CommandMessage<Deposit> checked = CommandMessage.of(new Deposit("42", 1)).withIdempotencyKey("k", "digest");

        assertThat(checked.requestFingerprint()).isEqualTo("digest");
        assertThat(checked.withMetadata("user", "ada").requestFingerprint()).isEqualTo("digest");
        assertThat(checked.withIdempotencyKey("k").requestFingerprint()).isNull();
        assertThatThrownBy(() -> new CommandMessage<>(new Deposit("42", 1), java.util.UUID.randomUUID(), null, null,
                null, "digest", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a request fingerprint needs an idempotency key");
        assertThatThrownBy(() -> CommandMessage.of(new Deposit("42", 1)).withIdempotencyKey("k", " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("request fingerprint must not be blank");
    }
}
