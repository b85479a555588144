package dev.handoff.ref;

import com.lithium.bandolier.encryption.EncryptionProvider;
import com.lithium.bandolier.encryption.SymmetricKeyEncryptionProvider;
import com.lithium.bandolier.encryption.errors.EncryptionException;
import java.util.Base64;
import java.util.Random;
import javax.crypto.BadPaddingException;
import org.json.JSONException;
import org.json.JSONObject;

/**
 * The audit's view of the document's {@code decryptPayload} (issue 10, finding ST-2): which of its two failure
 * paths a transfer link takes, asked in batches so that a padding-oracle attack costs one bridge call per byte, and
 * the time each path takes. Every answer comes from the vendor's own classes; nothing here decrypts by itself.
 */
public final class PaddingOracleProbe {
    private PaddingOracleProbe() {}

    /** decryptString and {@code new JSONObject} both succeed: the payload is accepted. */
    public static final int ACCEPTED = 0;
    /** decryptString succeeds (the padding checks out) but org.json rejects the text. */
    public static final int JSON_FAILURE = 1;
    /** decryptString throws an EncryptionException caused by a BadPaddingException. */
    public static final int PADDING_FAILURE = 2;
    /** decryptString throws an EncryptionException for another reason (block size, IV length). */
    public static final int OTHER_FAILURE = 3;

    /** The link's parameters as Khoros writes them: the IV in standard Base64, the payload URL-safe unpadded. */
    static String ivParameter(byte[] iv) {
        return Base64.getEncoder().encodeToString(iv);
    }

    static String payloadParameter(byte[] cipherText) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(cipherText);
    }

    /** The document's decryptPayload body, returning which branch it took instead of an empty Optional. */
    public static int classify(String encryptionKey, String ivKey, String encryptedPayload) {
        try {
            final EncryptionProvider encryptionProvider =
                    new SymmetricKeyEncryptionProvider(encryptionKey, ivKey, true);
            final String plainTextPayload = encryptionProvider.decryptString(encryptedPayload);
            new JSONObject(plainTextPayload);
            return ACCEPTED;
        } catch (EncryptionException e) {
            return e.getCause() instanceof BadPaddingException ? PADDING_FAILURE : OTHER_FAILURE;
        } catch (JSONException e) {
            return JSON_FAILURE;
        }
    }

    /** {@link #classify} for raw IV and ciphertext bytes, encoded as the link carries them. */
    public static int classifyBytes(String encryptionKey, byte[] iv, byte[] cipherText) {
        return classify(encryptionKey, ivParameter(iv), payloadParameter(cipherText));
    }

    /**
     * Sets byte {@code position} of a copy of {@code iv} to {@code from}, {@code from + 1}, ... 255 in turn and asks
     * {@link #classifyBytes} each time, one query per value, stopping at the first value whose padding checks out.
     * Returns {value, queries}, with value -1 when no value from {@code from} on passes.
     */
    public static int[] firstValidByte(String encryptionKey, byte[] iv, byte[] cipherText, int position, int from) {
        byte[] probe = iv.clone();
        int queries = 0;
        for (int value = from; value < 256; value++) {
            probe[position] = (byte) value;
            queries++;
            if (classifyBytes(encryptionKey, probe, cipherText) != PADDING_FAILURE) {
                return new int[] {value, queries};
            }
        }
        return new int[] {-1, queries};
    }

    /**
     * Times {@link PayloadDecryption#decryptPayload} (which answers null on both failure paths) on two links, in a
     * random interleaving drawn from {@code seed}, after {@code warmup} untimed calls of each. Returns
     * {nanoseconds of link A per call, nanoseconds of link B per call}, {@code rounds} of each.
     */
    public static long[][] timeTwoLinks(String encryptionKey, String ivA, String payloadA, String ivB, String payloadB,
            int warmup, int rounds, long seed) throws EncryptionException {
        int sink = 0;
        for (int i = 0; i < warmup; i++) {
            sink += outcome(PayloadDecryption.decryptPayload(ivA, payloadA, encryptionKey));
            sink += outcome(PayloadDecryption.decryptPayload(ivB, payloadB, encryptionKey));
        }
        long[][] times = new long[2][rounds];
        int[] done = new int[2];
        Random order = new Random(seed);
        while (done[0] < rounds || done[1] < rounds) {
            int which = done[0] == rounds ? 1 : done[1] == rounds ? 0 : order.nextInt(2);
            String iv = which == 0 ? ivA : ivB;
            String payload = which == 0 ? payloadA : payloadB;
            long start = System.nanoTime();
            String result = PayloadDecryption.decryptPayload(iv, payload, encryptionKey);
            long elapsed = System.nanoTime() - start;
            sink += outcome(result);
            times[which][done[which]++] = elapsed;
        }
        if (sink == Integer.MIN_VALUE) {
            System.out.print("");
        }
        return times;
    }

    private static int outcome(String result) {
        return result == null ? 0 : result.length();
    }
}
