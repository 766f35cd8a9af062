/**
 * The bank's REST API: controllers for accounts, transfers and customers, their request and response bodies, the
 * problem details that are the bank's own, and the OpenAPI document.
 */
package dev.kappa.bank.web;
