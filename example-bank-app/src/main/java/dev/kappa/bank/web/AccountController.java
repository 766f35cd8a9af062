package dev.kappa.bank.web;

import java.net.URI;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.kappa.bank.account.AccountCache;
import dev.kappa.bank.account.AccountCommands.Close;
import dev.kappa.bank.account.AccountCommands.Deposit;
import dev.kappa.bank.account.AccountCommands.Freeze;
import dev.kappa.bank.account.AccountCommands.OpenAccount;
import dev.kappa.bank.account.AccountCommands.Unfreeze;
import dev.kappa.bank.account.AccountCommands.Withdraw;
import dev.kappa.bank.account.AccountSummary;
import dev.kappa.bank.account.AccountSummaryRepository;
import dev.kappa.bank.account.AccountTransaction;
import dev.kappa.bank.account.AccountTransactionRepository;
import dev.kappa.bank.account.AccountView;
import dev.kappa.bank.web.ApiDocumentation.ConflictResponse;
import dev.kappa.bank.web.ApiDocumentation.InvalidRequestResponse;
import dev.kappa.bank.web.ApiDocumentation.NotFoundResponse;
import dev.kappa.bank.web.ApiDocumentation.RuleViolationResponse;
import dev.kappa.bank.web.ApiDocumentation.UnavailableResponse;
import dev.kappa.bank.web.Requests.MoneyRequest;
import dev.kappa.bank.web.Requests.OpenAccountRequest;
import dev.kappa.bank.web.Responses.AccountWritten;
import dev.kappa.boot.web.IdempotencyKey;
import dev.kappa.boot.web.ReadYourWrites;
import dev.kappa.framework.CommandGateway;
import dev.kappa.framework.CommandResult;

/** Accounts: open, deposit, withdraw, freeze, unfreeze, close; read one (from memory), list, and their history. */
@Tag(name = "Accounts", description = "Open, pay in and out of, freeze and close accounts; read them and their"
        + " history.")
@RestController
@RequestMapping("/accounts")
@Validated
class AccountController {

    private final CommandGateway commands;
    private final AccountCache cache;
    private final AccountSummaryRepository summaries;
    private final AccountTransactionRepository transactions;

    AccountController(CommandGateway commands, AccountCache cache, AccountSummaryRepository summaries,
                      AccountTransactionRepository transactions) {
        this.commands = commands;
        this.cache = cache;
        this.summaries = summaries;
        this.transactions = transactions;
    }

    @Operation(operationId = "openAccount", summary = "Open an account",
            description = "Without an accountId, the bank chooses one (the same for every retry with one"
                    + " Idempotency-Key).")
    @ApiResponse(responseCode = "201", description = "Opened.",
            headers = @Header(name = "Location", description = "The account's path.",
                    schema = @Schema(type = "string", format = "uri-reference")))
    @InvalidRequestResponse
    @ConflictResponse
    @UnavailableResponse
    @PostMapping
    ResponseEntity<AccountWritten> open(@Valid @RequestBody OpenAccountRequest request, IdempotencyKey key) {
        String accountId = request.accountId() != null ? request.accountId() : key.newId();
        CommandResult result = commands.sendAndWait(key.message(
                new OpenAccount(accountId, request.owner(), request.currency())));
        return ResponseEntity.created(URI.create("/accounts/" + accountId))
                .header(ReadYourWrites.HEADER, String.valueOf(result.lastOffset()))
                .body(written(result));
    }

    @Operation(operationId = "deposit", summary = "Pay money in")
    @ApiResponse(responseCode = "200", description = "Paid in.")
    @InvalidRequestResponse
    @NotFoundResponse
    @ConflictResponse
    @RuleViolationResponse
    @UnavailableResponse
    @PostMapping("/{accountId}/deposits")
    ResponseEntity<AccountWritten> deposit(@PathVariable @ResourceId String accountId,
                                           @Valid @RequestBody MoneyRequest request, IdempotencyKey key) {
        return send(new Deposit(accountId, request.amount(), request.currency()), key);
    }

    @Operation(operationId = "withdraw", summary = "Pay money out")
    @ApiResponse(responseCode = "200", description = "Paid out.")
    @InvalidRequestResponse
    @NotFoundResponse
    @ConflictResponse
    @RuleViolationResponse
    @UnavailableResponse
    @PostMapping("/{accountId}/withdrawals")
    ResponseEntity<AccountWritten> withdraw(@PathVariable @ResourceId String accountId,
                                            @Valid @RequestBody MoneyRequest request, IdempotencyKey key) {
        return send(new Withdraw(accountId, request.amount(), request.currency()), key);
    }

    @Operation(operationId = "freezeAccount", summary = "Freeze an account",
            description = "A frozen account takes no payments in or out until it is unfrozen.")
    @ApiResponse(responseCode = "200", description = "Frozen.")
    @InvalidRequestResponse
    @NotFoundResponse
    @ConflictResponse
    @UnavailableResponse
    @PostMapping("/{accountId}/freeze")
    ResponseEntity<AccountWritten> freeze(@PathVariable @ResourceId String accountId, IdempotencyKey key) {
        return send(new Freeze(accountId), key);
    }

    @Operation(operationId = "unfreezeAccount", summary = "Unfreeze an account")
    @ApiResponse(responseCode = "200", description = "Unfrozen.")
    @InvalidRequestResponse
    @NotFoundResponse
    @ConflictResponse
    @UnavailableResponse
    @PostMapping("/{accountId}/unfreeze")
    ResponseEntity<AccountWritten> unfreeze(@PathVariable @ResourceId String accountId, IdempotencyKey key) {
        return send(new Unfreeze(accountId), key);
    }

    @Operation(operationId = "closeAccount", summary = "Close an account",
            description = "Only an empty account can be closed.")
    @ApiResponse(responseCode = "200", description = "Closed.")
    @InvalidRequestResponse
    @NotFoundResponse
    @ConflictResponse
    @UnavailableResponse
    @PostMapping("/{accountId}/close")
    ResponseEntity<AccountWritten> close(@PathVariable @ResourceId String accountId, IdempotencyKey key) {
        return send(new Close(accountId), key);
    }

    /** One account, from memory; with an offset, once the cache includes it. */
    @Operation(operationId = "getAccount", summary = "Read an account", description = "From memory: fast, and"
            + " given an offset, as of that offset or later.")
    @ApiResponse(responseCode = "200", description = "The account.")
    @InvalidRequestResponse
    @NotFoundResponse
    @UnavailableResponse
    @GetMapping("/{accountId}")
    @ReadYourWrites("account-cache")
    AccountView get(@PathVariable @ResourceId String accountId) {
        return cache.find(accountId).orElseThrow(() -> notFound(accountId));
    }

    /** All accounts, a page at a time, from {@code account_summary}. */
    @Operation(operationId = "listAccounts", summary = "List the accounts",
            description = "A page at a time, by id.")
    @ApiResponse(responseCode = "200", description = "A page of accounts.")
    @InvalidRequestResponse
    @UnavailableResponse
    @GetMapping
    @ReadYourWrites("account-summary")
    Page<AccountSummary> list(@RequestParam(defaultValue = "0") @Min(0) int page,
                              @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        return summaries.findAll(PageRequest.of(page, size, Sort.by("accountId")));
    }

    /** An account's movements of money, newest first, a page at a time. */
    @Operation(operationId = "listTransactions", summary = "List an account's movements of money",
            description = "Newest first, a page at a time.")
    @ApiResponse(responseCode = "200", description = "A page of movements.")
    @InvalidRequestResponse
    @NotFoundResponse
    @UnavailableResponse
    @GetMapping("/{accountId}/transactions")
    @ReadYourWrites("account-transactions")
    Page<AccountTransaction> transactions(@PathVariable @ResourceId String accountId,
                                          @RequestParam(defaultValue = "0") @Min(0) int page,
                                          @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        if (cache.find(accountId).isEmpty()) {
            throw notFound(accountId);
        }
        return transactions.findByAccountIdOrderByOffsetDesc(accountId, PageRequest.of(page, size));
    }

    private <C> ResponseEntity<AccountWritten> send(C command, IdempotencyKey key) {
        CommandResult result = commands.sendAndWait(key.message(command));
        return ResponseEntity.ok().header(ReadYourWrites.HEADER, String.valueOf(result.lastOffset()))
                .body(written(result));
    }

    private static ResponseStatusException notFound(String accountId) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "account '" + accountId + "' does not exist");
    }

    private static AccountWritten written(CommandResult result) {
        return new AccountWritten(result.aggregateId(), result.version(), result.lastOffset(), result.alreadyApplied());
    }
}
