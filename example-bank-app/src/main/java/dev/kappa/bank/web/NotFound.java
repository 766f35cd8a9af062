package dev.kappa.bank.web;

/** A read model has no row for what was asked: answered with 404. */
class NotFound extends RuntimeException {

    NotFound(String what) {
        super(what + " does not exist");
    }
}
