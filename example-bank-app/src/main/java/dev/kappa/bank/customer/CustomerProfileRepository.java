package dev.kappa.bank.customer;

import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

/** The {@code customer_profile} read model. */
public interface CustomerProfileRepository extends ListCrudRepository<CustomerProfile, String> {

    @Modifying
    @Query("""
            INSERT INTO customer_profile (customer_id, name, email) VALUES (:customerId, :name, :email)
            ON CONFLICT (customer_id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email""")
    void put(String customerId, String name, String email);

    @Modifying
    @Query("DELETE FROM customer_profile WHERE customer_id = :customerId")
    void remove(String customerId);

    @Modifying
    @Query("DELETE FROM customer_profile")
    void clear();
}
