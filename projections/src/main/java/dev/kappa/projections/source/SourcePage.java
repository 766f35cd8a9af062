package dev.kappa.projections.source;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import dev.kappa.eventstore.LogRecord;

/**
 * One read of a {@link SourcePartition}: the partition's records after a position, the position the read got
 * through, and whether it reached the partition's head. Immutable, as long as nobody changes the list it was given.
 */
public final class SourcePage {

    private final List<LogRecord> records;
    /** The records' positions, or {@code null} when they are the records' log offsets. */
    private final long[] positions;
    /** Per record, why the source could not read it (it stands in the list as what could be read of it); or null. */
    private final RuntimeException[] unreadable;
    private final long through;
    private final boolean reachedHead;
    private final long head;

    private SourcePage(List<LogRecord> records, long[] positions, RuntimeException[] unreadable, long through,
                       boolean reachedHead, long head) {
        this.records = Objects.requireNonNull(records, "records must not be null");
        if (positions != null && positions.length != records.size()) {
            throw new IllegalArgumentException("a page of " + records.size() + " records was given "
                    + positions.length + " positions: give one position per record");
        }
        if (unreadable != null && unreadable.length != records.size()) {
            throw new IllegalArgumentException("a page of " + records.size() + " records was given "
                    + unreadable.length + " read failures: give one per record, null for a record read well");
        }
        this.positions = positions;
        this.unreadable = unreadable;
        if (!records.isEmpty() && position(records.size() - 1) > through) {
            throw new IllegalArgumentException("a page must read through its last record: its last record is at "
                    + position(records.size() - 1) + ", above " + through);
        }
        this.through = through;
        this.reachedHead = reachedHead;
        this.head = head;
    }

    /**
     * A page of records whose positions are their log offsets (records read from the PostgreSQL log).
     *
     * @param records     the partition's records, in offset order; the list is kept, not copied
     * @param through     the position the read got through: the last record's offset, or beyond it when the read
     *                    passed over records of other partitions
     * @param reachedHead whether nothing lay beyond {@code through} when it was read
     * @param head        the source's head as far as the read knows
     */
    public static SourcePage of(List<LogRecord> records, long through, boolean reachedHead, long head) {
        return new SourcePage(records, null, null, through, reachedHead, head);
    }

    /**
     * A page of records with positions of their own (a Kafka partition's offsets).
     *
     * @param records   the partition's records, in position order; the list is kept, not copied
     * @param positions each record's position, increasing; the array is kept, not copied
     * @see #of(List, long, boolean, long)
     */
    public static SourcePage of(List<LogRecord> records, long[] positions, long through, boolean reachedHead,
                                long head) {
        return new SourcePage(records, Objects.requireNonNull(positions, "positions must not be null"), null, through,
                reachedHead, head);
    }

    /**
     * A page of records with positions of their own, some of which the source could not read (a record on a topic
     * that Kappa's relay did not write): each of those stands in {@code records} as what could be read of it, and the
     * worker fails on it with its exception as it would on a handler's, so that the projection's failure handling
     * (retries, then stop or dead letter, skip) deals with it; nothing is passed over silently.
     *
     * @param unreadable per record, why it could not be read, or {@code null}; the array is kept, not copied
     * @see #of(List, long[], long, boolean, long)
     */
    public static SourcePage of(List<LogRecord> records, long[] positions, RuntimeException[] unreadable, long through,
                                boolean reachedHead, long head) {
        return new SourcePage(records, Objects.requireNonNull(positions, "positions must not be null"),
                Objects.requireNonNull(unreadable, "read failures must not be null"), through, reachedHead, head);
    }

    /** Nothing after {@code after}: the partition's head. */
    public static SourcePage empty(long after, long head) {
        return new SourcePage(List.of(), null, null, after, true, head);
    }

    /** The records, in position order. */
    public List<LogRecord> records() {
        return records;
    }

    /** The position of the record at {@code index} in {@link #records()}. */
    public long position(int index) {
        return positions == null ? records.get(index).offset() : positions[index];
    }

    /** Why the record at {@code index} could not be read, or {@code null} if it was read well. */
    public RuntimeException unreadable(int index) {
        return unreadable == null ? null : unreadable[index];
    }

    /** The position the read got through: a checkpoint that this page, once applied, may move to. */
    public long through() {
        return through;
    }

    /** Whether the read reached the head: nothing lay beyond {@link #through()} when it was read. */
    public boolean reachedHead() {
        return reachedHead;
    }

    /** The source's head (see {@link SourcePartition#head()}) as far as this read knows; for lag figures. */
    public long head() {
        return head;
    }

    /**
     * The first {@code count} records of this page, as a page that reads through {@code through} (at least the last
     * of them, below the next) and does not reach the head: a batch cut short.
     */
    public SourcePage firstRecords(int count, long through) {
        if (count < records.size() && through >= position(count)) {
            throw new IllegalArgumentException("a page cut to " + count + " records must end below the next record, at "
                    + position(count) + ", not at " + through);
        }
        return new SourcePage(records.subList(0, count), positions == null ? null : Arrays.copyOf(positions, count),
                unreadable == null ? null : Arrays.copyOf(unreadable, count), through, false, head);
    }

    @Override
    public String toString() {
        return "SourcePage[" + records.size() + " records through " + through + (reachedHead ? ", at the head" : "")
                + "]";
    }
}
