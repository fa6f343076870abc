package io.iotpay.pki.internal.x509;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Atomic, owner-only file writes (0600 files, 0700 folders on POSIX file systems). */
public final class SecureFiles {

    /** Writes content to a stream. */
    @FunctionalInterface
    public interface Writer {
        /**
         * @param out the stream
         * @throws IOException on failure
         */
        void write(OutputStream out) throws IOException;
    }

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private SecureFiles() {
    }

    /**
     * Creates a folder (and parents) readable by the owner only.
     *
     * @param dir the folder
     */
    public static void ensureOwnerOnlyDir(Path dir) {
        try {
            Files.createDirectories(dir);
            if (POSIX) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create folder " + dir, e);
        }
    }

    /**
     * Writes a file through a temporary sibling, then moves it in place; the file is 0600 from its creation.
     *
     * @param file the target
     * @param writer produces the content
     */
    public static void writeOwnerOnly(Path file, Writer writer) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = POSIX
                    ? Files.createTempFile(dir, ".tmp-", ".part",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, ".tmp-", ".part");
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    writer.write(out);
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Writes text owner-only.
     *
     * @param file the target
     * @param text the text (UTF-8)
     */
    public static void writeOwnerOnly(Path file, String text) {
        writeOwnerOnly(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
