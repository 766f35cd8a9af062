package dev.kappa.bank.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.kappa.bank.customer.CustomerProfile;
import dev.kappa.bank.customer.CustomerProfileRepository;
import dev.kappa.bank.customer.CustomerProfiles;
import dev.kappa.bank.web.ApiDocumentation.InvalidRequestResponse;
import dev.kappa.bank.web.ApiDocumentation.NotFoundResponse;
import dev.kappa.bank.web.ApiDocumentation.UnavailableResponse;
import dev.kappa.bank.web.Requests.ProfileRequest;
import dev.kappa.bank.web.Responses.ProfileWritten;

/** Customer profiles: the latest profile per customer, kept in the log as compacted records. */
@Tag(name = "Customers", description = "Customer profiles: the latest one per customer, kept in the log as"
        + " compacted records.")
@RestController
@RequestMapping("/customers")
class CustomerController {

    private final CustomerProfiles profiles;
    private final CustomerProfileRepository readModel;
    private final ReadYourWrites reads;

    CustomerController(CustomerProfiles profiles, CustomerProfileRepository readModel, ReadYourWrites reads) {
        this.profiles = profiles;
        this.readModel = readModel;
        this.reads = reads;
    }

    @Operation(operationId = "putProfile", summary = "Write a customer's profile",
            description = "The whole profile: it replaces the one before.")
    @ApiResponse(responseCode = "200", description = "Written.")
    @InvalidRequestResponse
    @UnavailableResponse
    @PutMapping("/{customerId}")
    ResponseEntity<ProfileWritten> put(@PathVariable String customerId, @Valid @RequestBody ProfileRequest request,
                                       @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        long offset = profiles.change(customerId, request.name(), request.email(), Idempotency.key("profile", key));
        return ResponseEntity.ok().header(ReadYourWrites.HEADER, String.valueOf(offset))
                .body(new ProfileWritten(customerId, offset));
    }

    @Operation(operationId = "eraseProfile", summary = "Erase a customer's profile", description = "A tombstone"
            + " in the log: compaction removes the profile's earlier records, and the tombstone itself later.")
    @ApiResponse(responseCode = "200", description = "Erased.")
    @InvalidRequestResponse
    @UnavailableResponse
    @DeleteMapping("/{customerId}")
    ResponseEntity<ProfileWritten> erase(@PathVariable String customerId,
                                         @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        long offset = profiles.erase(customerId, Idempotency.key("erase", key));
        return ResponseEntity.ok().header(ReadYourWrites.HEADER, String.valueOf(offset))
                .body(new ProfileWritten(customerId, offset));
    }

    @Operation(operationId = "getProfile", summary = "Read a customer's profile")
    @ApiResponse(responseCode = "200", description = "The profile.")
    @InvalidRequestResponse
    @NotFoundResponse
    @UnavailableResponse
    @GetMapping("/{customerId}")
    CustomerProfile get(@PathVariable String customerId,
                        @RequestHeader(name = ReadYourWrites.HEADER, required = false) Long offsetHeader,
                        @RequestParam(name = "offset", required = false) Long offset) {
        reads.await("customer-profiles", ReadYourWrites.requested(offsetHeader, offset));
        return readModel.findById(customerId).orElseThrow(() -> new NotFound("customer '" + customerId + "'"));
    }
}
