package dev.kappa.framework;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.kappa.framework.bank.BankCommands.Deposit;
import dev.kappa.framework.bank.BankCommands.OpenAccount;
import dev.kappa.framework.bank.BankCommands.Withdraw;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotentCommandsIntegrationTest extends StoreIntegrationTest {

    IdempotentCommandsIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void theSameCommandSentTwiceWithOneKeyAppliesOnce() {
        gateway.sendAndWait(new OpenAccount("42", "Ada"));
        CommandMessage<Deposit> deposit = CommandMessage.of(new Deposit("42", 100)).withIdempotencyKey("req-1");

        CommandResult first = gateway.sendAndWait(deposit);
        CommandResult retry = gateway.sendAndWait(CommandMessage.of(new Deposit("42", 100)).withIdempotencyKey("req-1"));

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
        CommandResult first = gateway.sendAndWait(CommandMessage.of(new OpenAccount("7", "Bob")).withIdempotencyKey("open-7"));

        CommandResult retry = gateway.sendAndWait(CommandMessage.of(new OpenAccount("7", "Bob")).withIdempotencyKey("open-7"));

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
}
