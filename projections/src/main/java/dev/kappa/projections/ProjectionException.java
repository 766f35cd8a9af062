package dev.kappa.projections;

/**
 * A projection operation failed: a reset, a rebuild, a start, a schema migration. The message names the projection
 * and says what was being done; the cause is the underlying failure.
 */
public class ProjectionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String projection;

    /** A failure of an operation on {@code projection} (or {@code null}), caused by {@code cause}. */
    public ProjectionException(String projection, String message, Throwable cause) {
        super(message, cause);
        this.projection = projection;
    }

    /** A failure of an operation on {@code projection} (or {@code null}). */
    public ProjectionException(String projection, String message) {
        super(message);
        this.projection = projection;
    }

    /** The projection concerned, or {@code null} for a failure that concerns none in particular (a migration). */
    public String projection() {
        return projection;
    }
}
