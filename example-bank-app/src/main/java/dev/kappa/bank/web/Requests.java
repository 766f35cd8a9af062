package dev.kappa.bank.web;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** The bodies the API takes. Amounts are whole minor units (cents); currencies ISO 4217 codes. */
final class Requests {

    private Requests() {
    }

    /** Opens an account; without an id, one is chosen (the same for retries with one Idempotency-Key). */
    record OpenAccountRequest(
            @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_-]+", message = "must be letters, digits, '-' or '_'")
            String accountId,
            @NotBlank @Size(max = 200) String owner,
            @NotBlank @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR") String currency) {
    }

    /** Money in or out of an account. */
    record MoneyRequest(
            @Positive long amount,
            @NotBlank @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR") String currency) {
    }

    /** Moves money between two accounts; without an id, one is chosen as for accounts. */
    record TransferRequest(
            @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_-]+", message = "must be letters, digits, '-' or '_'")
            String transferId,
            @ResourceId String from,
            @ResourceId String to,
            @Positive long amount,
            @NotBlank @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR") String currency) {
    }

    /** A customer's whole profile. */
    record ProfileRequest(@NotBlank @Size(max = 200) String name, @NotBlank @Email String email) {
    }
}
