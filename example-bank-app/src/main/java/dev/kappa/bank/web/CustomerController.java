package dev.kappa.bank.web;

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
import dev.kappa.bank.web.Requests.ProfileRequest;
import dev.kappa.bank.web.Responses.ProfileWritten;
import dev.kappa.boot.web.IdempotencyKey;
import dev.kappa.boot.web.ReadYourWrites;

/** Customer profiles: the latest profile per customer, kept in the log as compacted records. */
@RestController
@RequestMapping("/customers")
class CustomerController {

    private final CustomerProfiles profiles;
    private final CustomerProfileRepository readModel;

    CustomerController(CustomerProfiles profiles, CustomerProfileRepository readModel) {
        this.profiles = profiles;
        this.readModel = readModel;
    }

    @PutMapping("/{customerId}")
    ResponseEntity<ProfileWritten> put(@PathVariable @ResourceId String customerId,
                                       @Valid @RequestBody ProfileRequest request, IdempotencyKey key) {
        long offset = profiles.change(customerId, request.name(), request.email(), key.scoped(),
                key.fingerprint());
        return ResponseEntity.ok().header(ReadYourWrites.HEADER, String.valueOf(offset))
                .body(new ProfileWritten(customerId, offset));
    }

    @DeleteMapping("/{customerId}")
    ResponseEntity<ProfileWritten> erase(@PathVariable @ResourceId String customerId, IdempotencyKey key) {
        long offset = profiles.erase(customerId, key.scoped(), key.fingerprint());
        return ResponseEntity.ok().header(ReadYourWrites.HEADER, String.valueOf(offset))
                .body(new ProfileWritten(customerId, offset));
    }

    @GetMapping("/{customerId}")
    @ReadYourWrites("customer-profiles")
    CustomerProfile get(@PathVariable @ResourceId String customerId) {
        return readModel.findById(customerId).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "customer '" + customerId + "' does not exist"));
    }
}
