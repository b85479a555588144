package dev.handoff.ref;

import com.lithium.bandolier.encryption.SymmetricKeyEncryptionProvider;

/** Times the vendor's decryptString in a warmed loop inside the JVM, so no bridge call is measured. */
public final class DecryptBench {
    private DecryptBench() {}

    /** Returns nanoseconds per decryptString call, after warmup calls that are not timed. */
    public static double nanosPerDecrypt(SymmetricKeyEncryptionProvider provider, String cipherText, int warmup, int iterations)
            throws Exception {
        int sink = 0;
        for (int i = 0; i < warmup; i++) {
            sink += provider.decryptString(cipherText).length();
        }
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            sink += provider.decryptString(cipherText).length();
        }
        long elapsed = System.nanoTime() - start;
        if (sink == 42) {
            System.out.print("");
        }
        return (double) elapsed / iterations;
    }
}
