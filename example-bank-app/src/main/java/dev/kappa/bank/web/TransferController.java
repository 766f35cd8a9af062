package dev.kappa.bank.web;

import java.net.URI;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.kappa.bank.transfer.TransferMessages.RequestTransfer;
import dev.kappa.bank.transfer.TransferView;
import dev.kappa.bank.transfer.TransferViewRepository;
import dev.kappa.bank.web.ApiDocumentation.ConflictResponse;
import dev.kappa.bank.web.ApiDocumentation.InvalidRequestResponse;
import dev.kappa.bank.web.ApiDocumentation.NotFoundResponse;
import dev.kappa.bank.web.ApiDocumentation.RuleViolationResponse;
import dev.kappa.bank.web.ApiDocumentation.UnavailableResponse;
import dev.kappa.bank.web.Requests.TransferRequest;
import dev.kappa.bank.web.Responses.TransferAccepted;
import dev.kappa.boot.web.IdempotencyKey;
import dev.kappa.boot.web.ReadYourWrites;
import dev.kappa.framework.CommandGateway;
import dev.kappa.framework.CommandResult;

/** Transfers: request one (it completes moments later), and see where it stands. */
@Tag(name = "Transfers", description = "Move money between two accounts, and see where a transfer stands.")
@RestController
@RequestMapping("/transfers")
class TransferController {

    private final CommandGateway commands;
    private final TransferViewRepository transfers;

    TransferController(CommandGateway commands, TransferViewRepository transfers) {
        this.commands = commands;
        this.transfers = transfers;
    }

    @Operation(operationId = "requestTransfer", summary = "Request a transfer", description = "Accepted at once, it"
            + " completes moments later (or fails for want of funds, or is reversed when the credit is refused):"
            + " follow it at Location. Without a transferId, the bank chooses one (the same for every retry with one"
            + " Idempotency-Key).")
    @ApiResponse(responseCode = "202", description = "Accepted.",
            headers = @Header(name = "Location", description = "The transfer's path.",
                    schema = @Schema(type = "string", format = "uri-reference")))
    @InvalidRequestResponse
    @ConflictResponse
    @RuleViolationResponse
    @UnavailableResponse
    @PostMapping
    ResponseEntity<TransferAccepted> request(@Valid @RequestBody TransferRequest request, IdempotencyKey key) {
        String transferId = request.transferId() != null ? request.transferId() : key.newId();
        CommandResult result = commands.sendAndWait(key.message(new RequestTransfer(transferId,
                request.from(), request.to(), request.amount(), request.currency())));
        return ResponseEntity.accepted().location(URI.create("/transfers/" + transferId))
                .header(ReadYourWrites.HEADER, String.valueOf(result.lastOffset()))
                .body(new TransferAccepted(transferId, "REQUESTED", result.lastOffset(), result.alreadyApplied()));
    }

    @Operation(operationId = "getTransfer", summary = "Read a transfer", description = "Where it stands:"
            + " REQUESTED, DEBITED, COMPLETED, FAILED or REVERSED, with the reason of a failure.")
    @ApiResponse(responseCode = "200", description = "The transfer.")
    @InvalidRequestResponse
    @NotFoundResponse
    @UnavailableResponse
    @GetMapping("/{transferId}")
    @ReadYourWrites("transfers")
    TransferView get(@PathVariable @ResourceId String transferId) {
        return transfers.findById(transferId).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "transfer '" + transferId + "' does not exist"));
    }
}
