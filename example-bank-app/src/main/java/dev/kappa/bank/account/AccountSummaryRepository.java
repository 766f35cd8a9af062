package dev.kappa.bank.account;

import java.util.Optional;

import org.springframework.data.repository.PagingAndSortingRepository;

/**
 * Reads the {@code account_summary} read model: a view over the table of the generation of
 * {@link AccountSummaryProjection} that readers use, switched by Kappa when a rebuild has caught up. Read-only: the
 * projection writes the tables.
 */
public interface AccountSummaryRepository extends PagingAndSortingRepository<AccountSummary, String> {

    Optional<AccountSummary> findById(String accountId);
}
