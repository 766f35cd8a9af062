package dev.kappa.bank.web;

import java.net.URI;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.kappa.bank.account.AccountRuleViolation;
import dev.kappa.bank.account.BalanceOverflow;
import dev.kappa.bank.account.AccountRuleViolation.ClosedAccount;
import dev.kappa.bank.account.AccountRuleViolation.FrozenAccount;
import dev.kappa.bank.account.AccountRuleViolation.NonEmptyAccount;

/**
 * The mappings that are the bank's own: an account whose state forbids the command (frozen, closed, not empty) is
 * a 409 conflict, where the starter answers every other rule violation with 422; and an account whose stored events
 * overflow its balance is a 500 {@code balance-overflow}. Everything else — unknown accounts,
 * bad requests, read models behind, an unavailable database — the starter's web support maps (docs/web.md).
 */
@RestControllerAdvice
class BankProblems {

    private final String types;

    BankProblems(@Value("${kappa.web.problems.type-prefix:https://kappa.dev/problems/}") String types) {
        this.types = types;
    }

    @ExceptionHandler
    ProblemDetail ruleViolated(AccountRuleViolation violation) {
        HttpStatus status = violation instanceof FrozenAccount || violation instanceof ClosedAccount
                || violation instanceof NonEmptyAccount ? HttpStatus.CONFLICT : HttpStatus.UNPROCESSABLE_CONTENT;
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, violation.getMessage());
        problem.setType(URI.create(types + violation.rule()));
        violation.details().forEach(problem::setProperty);
        return problem;
    }

    /**
     * A 500, not a 4xx: the request is fine, the account's stored events are not (one overflows its balance), and no
     * retry helps until an operator deals with that event. The detail names the account and the event.
     */
    @ExceptionHandler
    ProblemDetail overflowed(BalanceOverflow overflow) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                overflow.getMessage());
        problem.setType(URI.create(types + "balance-overflow"));
        problem.setProperty("accountId", overflow.accountId());
        return problem;
    }
}
