package dev.kappa.bank.customer;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A customer's profile in the {@code customer_profile} read model. */
@Table("customer_profile")
public record CustomerProfile(@Id String customerId, String name, String email) {
}
