package dev.kappa.bank.web;

/** A request the API cannot take as sent: answered with 400 and the reason. */
class BadRequest extends RuntimeException {

    BadRequest(String message) {
        super(message);
    }
}
