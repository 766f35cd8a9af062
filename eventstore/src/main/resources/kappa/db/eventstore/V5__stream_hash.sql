-- Each record's stream hash: the CRC-32 of its stream id's UTF-8 bytes (LogShare.streamHash in the event store's API),
-- which places the stream in a segment (the hash modulo the segment count). The appender stores it with every record,
-- so that a segment's worker asks PostgreSQL for its share of the log and gets only that, for the price of reading a
-- number. Null in rows written without it (by an appender older than this column); readers then hash the stream id.
-- No index: the streams of a share are spread over every page of the log, so an index would save no page reads, and
-- every append would pay for it.
--
-- Existing rows are filled by a generated column, which rewrites the table once (an UPDATE would leave a dead copy of
-- every row behind), and which is then made a plain column the appender fills. A generated column takes only immutable
-- functions, and convert_to is declared stable (encoding conversions can be redefined): the wrapper below, used only
-- here, vouches for it, as conversion to UTF-8 is fixed for the database's encoding.
CREATE FUNCTION kappa_v5_stream_hash(stream_id text) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN crc32(convert_to(stream_id, 'UTF8'));

ALTER TABLE kappa_log ADD COLUMN stream_hash bigint GENERATED ALWAYS AS (kappa_v5_stream_hash(stream_id)) STORED;
ALTER TABLE kappa_log ALTER COLUMN stream_hash DROP EXPRESSION;
DROP FUNCTION kappa_v5_stream_hash(text);
