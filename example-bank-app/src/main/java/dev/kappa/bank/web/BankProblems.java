package dev.kappa.bank.web;

import java.net.URI;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.kappa.bank.account.AccountRuleViolation;
import dev.kappa.bank.account.AccountRuleViolation.ClosedAccount;
import dev.kappa.bank.account.AccountRuleViolation.FrozenAccount;
import dev.kappa.bank.account.AccountRuleViolation.NonEmptyAccount;

/**
 * The one mapping that is the bank's own: an account whose state forbids the command (frozen, closed, not empty) is
 * a 409 conflict, where the starter answers every other rule violation with 422. Everything else — unknown accounts,
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
}
