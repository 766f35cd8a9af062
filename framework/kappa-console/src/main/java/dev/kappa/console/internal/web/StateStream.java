package dev.kappa.console.internal.web;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

import dev.kappa.console.internal.state.ConsoleState;
import dev.kappa.console.internal.state.StateAssembler;
import dev.kappa.console.internal.state.Viewer;

/**
 * The live stream of the console's state to every open page: one task on the console's scheduler puts the state
 * together once per refresh and sends it, as an event named {@code state}, to each page (serialised once per kind of
 * viewer). A page that goes away is forgotten at its next send, completion, time-out or error; the number of open
 * streams is bounded.
 *
 * <p>Thread-safe: pages open streams on request threads, {@link #push()} runs on the scheduler.
 */
final class StateStream {

    /** How many pages may follow the state at once. */
    static final int MAX_STREAMS = 64;
    /** How long one stream lasts before the browser opens another (EventSource reconnects by itself). */
    static final Duration STREAM_LIFETIME = Duration.ofMinutes(10);
    /** How long the browser waits before it reconnects a dropped stream. */
    static final long RECONNECT_MILLIS = 2_000;

    private static final Logger log = LoggerFactory.getLogger(StateStream.class);

    private final StateAssembler assembler;
    private final JsonMapper json;
    private final Set<Follower> followers = ConcurrentHashMap.newKeySet();

    StateStream(StateAssembler assembler, JsonMapper json) {
        this.assembler = assembler;
        this.json = json;
    }

    /**
     * Opens a stream for {@code viewer} and sends it the state at once.
     *
     * @return the stream, or null if {@link #MAX_STREAMS} are open already
     */
    @Nullable SseEmitter open(Viewer viewer) {
        SseEmitter emitter = new SseEmitter(STREAM_LIFETIME.toMillis());
        Follower follower = new Follower(emitter, viewer);
        synchronized (followers) {
            if (followers.size() >= MAX_STREAMS) {
                return null;
            }
            followers.add(follower);
        }
        emitter.onCompletion(() -> followers.remove(follower));
        emitter.onTimeout(() -> followers.remove(follower));
        emitter.onError(error -> followers.remove(follower));
        String state = json.writeValueAsString(assembler.assemble().as(viewer));
        try {
            emitter.send(SseEmitter.event().name("state").reconnectTime(RECONNECT_MILLIS).data(state));
        } catch (IOException | IllegalStateException e) {
            followers.remove(follower);
        }
        return emitter;
    }

    /** Sends the state to every open stream; nothing is read when none is open. */
    void push() {
        if (followers.isEmpty()) {
            return;
        }
        ConsoleState state = assembler.assemble();
        Map<Viewer, String> serialised = new HashMap<>();
        for (Follower follower : followers) {
            String data = serialised.computeIfAbsent(follower.viewer(),
                    viewer -> json.writeValueAsString(state.as(viewer)));
            try {
                follower.emitter().send(SseEmitter.event().name("state").data(data));
            } catch (IOException | IllegalStateException gone) {
                // the page went away (or its stream completed meanwhile): the container ends the request itself
                followers.remove(follower);
            }
        }
    }

    /** Ends every stream: the application stops. */
    void closeAll() {
        for (Follower follower : followers) {
            try {
                follower.emitter().complete();
            } catch (RuntimeException e) {
                log.debug("console: a stream could not be completed", e);
            }
        }
        followers.clear();
    }

    /** How many streams are open. */
    int open() {
        return followers.size();
    }

    private record Follower(SseEmitter emitter, Viewer viewer) {

        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }
}
