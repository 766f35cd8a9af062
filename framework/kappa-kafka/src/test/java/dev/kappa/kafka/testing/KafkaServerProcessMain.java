package dev.kappa.kafka.testing;

/**
 * The child JVM's entry point for {@link KafkaServerProcess}: watches the JVM that started it and halts if that one
 * goes away (a test JVM killed by its build must not leave a broker behind on a shared machine), then runs Apache
 * Kafka's own {@code kafka.Kafka} with the given properties file.
 *
 * <p>Arguments: the parent's process id, then the server properties file.
 */
public final class KafkaServerProcessMain {

    private KafkaServerProcessMain() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            throw new IllegalArgumentException("expected <parent pid> <server.properties>, got " + args.length
                    + " arguments");
        }
        long parent = Long.parseLong(args[0]);
        ProcessHandle.of(parent).ifPresentOrElse(
                handle -> handle.onExit().thenRun(() -> Runtime.getRuntime().halt(3)),
                () -> Runtime.getRuntime().halt(3));
        kafka.Kafka.main(new String[] {args[1]});
    }
}
