/**
 * The programming model: aggregates as annotated classes whose command handlers return the events they decide, and
 * the {@link dev.kappa.framework.CommandGateway} that routes commands to them.
 *
 * <pre>{@code
 * @Aggregate(streamPrefix = "account-")
 * class Account {
 *     @AggregateId String id;
 *     long balance;
 *
 *     @CommandHandler
 *     static AccountOpened open(OpenAccount command) { return new AccountOpened(command.accountId()); }
 *
 *     @CommandHandler
 *     MoneyWithdrawn withdraw(Withdraw command) {
 *         if (command.amount() > balance) throw new InsufficientFunds(id, balance, command.amount());
 *         return new MoneyWithdrawn(id, command.amount());
 *     }
 *
 *     @EventSourcingHandler void on(AccountOpened event) { id = event.accountId(); }
 *     @EventSourcingHandler void on(MoneyWithdrawn event) { balance -= event.amount(); }
 * }
 * }</pre>
 */
package dev.kappa.framework;
