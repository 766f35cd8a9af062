package dev.kappa.bank.customer;

import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A customer's profile in the {@code customer_profile} read model. */
@Schema(description = "A customer's profile.",
        requiredProperties = {"customerId", "name", "email"})
@Table("customer_profile")
public record CustomerProfile(@Id String customerId, String name, String email) {
}
