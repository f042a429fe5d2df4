package org.transformer4j.backend.cuda;

/** {@code cuMemAlloc} found no room: the backend frees its cached blocks and tries once more before giving up. */
final class DeviceOutOfMemoryException extends RuntimeException {

    DeviceOutOfMemoryException(long bytes, Throwable cause) {
        super("out of device memory allocating " + bytes + " bytes", cause);
    }
}
