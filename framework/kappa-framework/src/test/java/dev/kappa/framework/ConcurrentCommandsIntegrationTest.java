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

import dev.kappa.eventstore.LogRecord;
import dev.kappa.framework.bank.BankAccount;
import dev.kappa.framework.bank.BankCommands.Deposit;
import dev.kappa.framework.bank.BankCommands.OpenAccount;
import dev.kappa.framework.bank.BankEvents.MoneyDeposited;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrentCommandsIntegrationTest extends StoreIntegrationTest {

    private static final int THREADS = 8;
    private static final int DEPOSITS_PER_THREAD = 500;

    ConcurrentCommandsIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    /**
     * Commands on one aggregate from threads of one process wait for each other; from two processes they conflict.
     * Two gateways stand for two processes here, four threads each, so that both happen.
     */
    @Test
    void eightThreadsDepositingIntoOneAccountLoseNothingAndRetryTheirConflicts() throws Exception {
        gateway.sendAndWait(new OpenAccount("hot", "Ada"));
        CommandGateway secondProcess = openGateway(builder -> { });
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<Long>> senders = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            CommandGateway process = t % 2 == 0 ? gateway : secondProcess;
            long amount = t + 1;
            senders.add(threads.submit(() -> {
                start.await(30, TimeUnit.SECONDS);
                long sent = 0;
                for (int i = 0; i < DEPOSITS_PER_THREAD; i++) {
                    process.sendAndWait(new Deposit("hot", amount));
                    sent += amount;
                }
                return sent;
            }));
        }
        long expectedBalance = 0;
        for (Future<Long> sender : senders) {
            expectedBalance += sender.get(5, TimeUnit.MINUTES);
        }
        threads.shutdown();

        List<LogRecord> stream = store.readStream("account-hot", 1);
        assertThat(stream).hasSize(1 + THREADS * DEPOSITS_PER_THREAD);
        assertThat(stream).extracting(LogRecord::streamVersion)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, stream.size()).boxed().toList());
        long depositedInLog = stream.stream().skip(1)
                .mapToLong(record -> store.codec().decode(record, MoneyDeposited.class).amount()).sum();
        assertThat(depositedInLog).isEqualTo(expectedBalance);
        BankAccount account = AggregateModel.of(BankAccount.class).newInstance();
        stream.forEach(record -> AggregateModel.of(BankAccount.class).apply(account, store.codec().decode(record)));
        assertThat(account.balance()).isEqualTo(expectedBalance);

        long retries = gateway.statistics().conflictRetries() + secondProcess.statistics().conflictRetries();
        assertThat(retries).as("conflicts between the two processes, retried (%d)", retries).isPositive();
        assertThat(gateway.statistics().commandsFailed() + secondProcess.statistics().commandsFailed()).isZero();
    }
}
