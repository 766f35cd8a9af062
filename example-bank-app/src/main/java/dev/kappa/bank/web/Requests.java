package dev.kappa.bank.web;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
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
    @Schema(description = "An account to open.")
    record OpenAccountRequest(
            @Schema(description = "The account's id; without one, the bank chooses it.", example = "alice")
            @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_-]+", message = "must be letters, digits, '-' or '_'")
            String accountId,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Who owns it.", example = "Alice")
            @NotBlank @Size(max = 200) String owner,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Its currency, an ISO 4217 code.",
                    example = "EUR")
            @NotBlank @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR") String currency) {
    }

    /** Money in or out of an account. */
    @Schema(description = "Money paid in or out.")
    record MoneyRequest(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "How much, in minor units (cents).",
                    minimum = "1", example = "10000")
            @Positive long amount,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Its currency: the account's.",
                    example = "EUR")
            @NotBlank @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR") String currency) {
    }

    /** Moves money between two accounts; without an id, one is chosen as for accounts. */
    @Schema(description = "A transfer to make.")
    record TransferRequest(
            @Schema(description = "The transfer's id; without one, the bank chooses it.", example = "t-1")
            @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_-]+", message = "must be letters, digits, '-' or '_'")
            String transferId,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The account to debit.", example = "alice")
            @ResourceId String from,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The account to credit.", example = "bob")
            @ResourceId String to,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "How much, in minor units (cents).",
                    minimum = "1", example = "2500")
            @Positive long amount,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The currency of both accounts.",
                    example = "EUR")
            @NotBlank @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR") String currency) {
    }

    /** A customer's whole profile. */
    @Schema(description = "A customer's whole profile.")
    record ProfileRequest(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The customer's name.",
                    example = "Alice Liddell")
            @NotBlank @Size(max = 200) String name,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Where to write to.",
                    example = "alice@example.com")
            @NotBlank @Email String email) {
    }
}
