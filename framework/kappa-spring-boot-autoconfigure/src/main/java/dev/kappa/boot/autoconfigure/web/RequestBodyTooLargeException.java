package dev.kappa.boot.autoconfigure.web;

import java.io.IOException;

import org.springframework.util.unit.DataSize;

/** A request body grew past {@code kappa.web.body-limit.max-size}; answered with 413. */
final class RequestBodyTooLargeException extends IOException {

    RequestBodyTooLargeException(DataSize maxSize) {
        super("the request body is larger than " + shown(maxSize) + ", the most this application takes"
                + " (kappa.web.body-limit.max-size)");
    }

    /** 1MB rather than 1048576B, where the size is a whole number of a larger unit. */
    static String shown(DataSize size) {
        long bytes = size.toBytes();
        if (bytes % DataSize.ofMegabytes(1).toBytes() == 0) {
            return size.toMegabytes() + "MB";
        }
        if (bytes % DataSize.ofKilobytes(1).toBytes() == 0) {
            return size.toKilobytes() + "KB";
        }
        return bytes + "B";
    }
}
