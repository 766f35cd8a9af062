package dev.kappa.boot.autoconfigure.bank;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A small bank: an aggregate, a Spring Data JDBC read model, an in-memory read model and a transactional service. */
@SpringBootApplication
public class BankApplication {
}
