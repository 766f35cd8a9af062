package dev.kappa.bank.web;

import java.net.URI;

import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.kappa.bank.transfer.TransferMessages.RequestTransfer;
import dev.kappa.bank.transfer.TransferView;
import dev.kappa.bank.transfer.TransferViewRepository;
import dev.kappa.bank.web.Requests.TransferRequest;
import dev.kappa.bank.web.Responses.TransferAccepted;
import dev.kappa.framework.CommandGateway;
import dev.kappa.framework.CommandResult;

/** Transfers: request one (it completes moments later), and see where it stands. */
@RestController
@RequestMapping("/transfers")
class TransferController {

    private final CommandGateway commands;
    private final TransferViewRepository transfers;
    private final ReadYourWrites reads;

    TransferController(CommandGateway commands, TransferViewRepository transfers, ReadYourWrites reads) {
        this.commands = commands;
        this.transfers = transfers;
        this.reads = reads;
    }

    @PostMapping
    ResponseEntity<TransferAccepted> request(@Valid @RequestBody TransferRequest request,
                                             @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        String transferId = Idempotency.newId(request.transferId(), "transfer", key);
        CommandResult result = commands.sendAndWait(Idempotency.message(new RequestTransfer(transferId,
                request.from(), request.to(), request.amount(), request.currency()), "transfer", key));
        return ResponseEntity.accepted().location(URI.create("/transfers/" + transferId))
                .header(ReadYourWrites.HEADER, String.valueOf(result.lastOffset()))
                .body(new TransferAccepted(transferId, "REQUESTED", result.lastOffset(), result.alreadyApplied()));
    }

    @GetMapping("/{transferId}")
    TransferView get(@PathVariable String transferId,
                     @RequestHeader(name = ReadYourWrites.HEADER, required = false) Long offsetHeader,
                     @RequestParam(name = "offset", required = false) Long offset) {
        reads.await("transfers", ReadYourWrites.requested(offsetHeader, offset));
        return transfers.findById(transferId).orElseThrow(() -> new NotFound("transfer '" + transferId + "'"));
    }
}
