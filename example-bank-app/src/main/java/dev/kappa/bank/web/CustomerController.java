package dev.kappa.bank.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.kappa.bank.customer.CustomerProfile;
import dev.kappa.bank.customer.CustomerProfileRepository;
import dev.kappa.bank.customer.CustomerProfiles;
import dev.kappa.bank.web.ApiDocumentation.InvalidRequestResponse;
import dev.kappa.bank.web.ApiDocumentation.NotFoundResponse;
import dev.kappa.bank.web.ApiDocumentation.UnavailableResponse;
import dev.kappa.bank.web.Requests.ProfileRequest;
import dev.kappa.bank.web.Responses.ProfileWritten;
import dev.kappa.boot.web.IdempotencyKey;
import dev.kappa.boot.web.ReadYourWrites;

/** Customer profiles: the latest profile per customer, kept in the log as compacted records. */
@Tag(name = "Customers", description = "Customer profiles: the latest one per customer, kept in the log as"
        + " compacted records.")
@RestController
@RequestMapping("/customers")
class CustomerController {

    private final CustomerProfiles profiles;
    private final CustomerProfileRepository readModel;

    CustomerController(CustomerProfiles profiles, CustomerProfileRepository readModel) {
        this.profiles = profiles;
        this.readModel = readModel;
    }

    @Operation(operationId = "putProfile", summary = "Write a customer's profile",
            description = "The whole profile: it replaces the one before.")
    @ApiResponse(responseCode = "200", description = "Written.")
    @InvalidRequestResponse
    @UnavailableResponse
    @PutMapping("/{customerId}")
    ResponseEntity<ProfileWritten> put(@PathVariable @ResourceId String customerId,
                                       @Valid @RequestBody ProfileRequest request, IdempotencyKey key) {
        long offset = profiles.change(customerId, request.name(), request.email(), key.scoped(),
                key.fingerprint());
        return ResponseEntity.ok().header(ReadYourWrites.HEADER, String.valueOf(offset))
                .body(new ProfileWritten(customerId, offset));
    }

    @Operation(operationId = "eraseProfile", summary = "Erase a customer's profile", description = "A tombstone"
            + " in the log: compaction removes the profile's earlier records, and the tombstone itself later.")
    @ApiResponse(responseCode = "200", description = "Erased.")
    @InvalidRequestResponse
    @UnavailableResponse
    @DeleteMapping("/{customerId}")
    ResponseEntity<ProfileWritten> erase(@PathVariable @ResourceId String customerId, IdempotencyKey key) {
        long offset = profiles.erase(customerId, key.scoped(), key.fingerprint());
        return ResponseEntity.ok().header(ReadYourWrites.HEADER, String.valueOf(offset))
                .body(new ProfileWritten(customerId, offset));
    }

    @Operation(operationId = "getProfile", summary = "Read a customer's profile")
    @ApiResponse(responseCode = "200", description = "The profile.")
    @InvalidRequestResponse
    @NotFoundResponse
    @UnavailableResponse
    @GetMapping("/{customerId}")
    @ReadYourWrites("customer-profiles")
    CustomerProfile get(@PathVariable @ResourceId String customerId) {
        return readModel.findById(customerId).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "customer '" + customerId + "' does not exist"));
    }
}
