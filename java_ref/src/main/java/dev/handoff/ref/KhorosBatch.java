package dev.handoff.ref;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * A whole batch of one Khoros op in one JPype call, for campaigns ({@code conformance/references/khoros_java_batch.py}).
 *
 * <p>Arguments cross as one {@code byte[]} of big-endian UTF-16 code units (so lone surrogates survive) and one
 * {@code int[]} of lengths in code units, {@code fields} per call in the op's field order (see {@link #fields}); a
 * length of -1 is an absent argument. Each call is answered exactly as {@link KhorosJsonLines} answers it (the same
 * vendor calls, the same reason paths, which are those of {@code java.py}): {@link #run} returns
 * {@code {kinds, lengths, text}}: per call a kind byte ({@link #VALUE}, {@link #NULL}, {@link #ERROR}), the length in
 * code units of its text (a value's text; an error's reason path, a NUL and its message), and all texts as big-endian
 * UTF-16 code units, the lengths as big-endian ints.
 */
public final class KhorosBatch {
    private KhorosBatch() {}

    public static final byte VALUE = 0;
    public static final byte NULL = 1;
    public static final byte ERROR = 2;

    /** The field order of each op's arguments; "?" marks a boolean that crosses as "true" or "false". */
    public static String[] fields(String op) {
        switch (op) {
            case "khoros.skep.encrypt":
                return new String[] {"secretKey", "ivKey", "?base64Keys", "ivOverride", "plainText"};
            case "khoros.skep.decrypt":
                return new String[] {"secretKey", "ivKey", "?base64Keys", "ivOverride", "cipherText"};
            case "khoros.payload.decrypt":
                return new String[] {"ivKey", "encryptedPayload", "encryptionKey"};
            case "khoros.cryptor.aes_hash_block":
                return new String[] {"s"};
            case "khoros.cryptor.encrypt_cbc":
            case "khoros.cryptor.decrypt_cbc":
                return new String[] {"keyText", "keyHex", "value", "iv"};
            case "khoros.cryptor.encrypt_gcm":
            case "khoros.cryptor.decrypt_gcm":
                return new String[] {"keyText", "keyHex", "value", "iv", "aad"};
            default:
                throw new IllegalArgumentException("no batch for op " + op);
        }
    }

    /** The reason path of a Java exception and its causes: {@link KhorosJsonLines}'s, i.e. {@code java.py}'s rules. */
    public static String reasonPath(Throwable throwable) {
        return KhorosJsonLines.reasonPath(throwable);
    }

    /** Answers every call of the batch; never throws for a call's own failure (it becomes an error answer). */
    public static Object[] run(String op, byte[] units, int[] lengths, int fields) {
        String[] names = fields(op);
        if (names.length != fields || lengths.length % fields != 0) {
            throw new IllegalArgumentException("the batch does not have " + names.length + " fields per call");
        }
        int calls = lengths.length / fields;
        byte[] kinds = new byte[calls];
        int[] outLengths = new int[calls];
        ByteArrayOutputStream text = new ByteArrayOutputStream(calls * 64);
        int offset = 0;
        for (int call = 0; call < calls; call++) {
            Map<String, Object> args = new HashMap<>();
            for (int field = 0; field < fields; field++) {
                int length = lengths[call * fields + field];
                if (length < 0) {
                    continue;
                }
                String value = string(units, offset, length);
                offset += length;
                String name = names[field];
                if (name.startsWith("?")) {
                    args.put(name.substring(1), Boolean.valueOf(value));
                } else {
                    args.put(name, value);
                }
            }
            String answer;
            try {
                answer = op.equals("khoros.payload.decrypt") ? payload(args) : (String) KhorosJsonLines.call(op, args);
                kinds[call] = answer == null ? NULL : VALUE;
            } catch (Throwable t) {
                String message = t.getMessage();
                if (message == null || message.isEmpty()) {
                    message = t.getClass().getName();
                }
                answer = reasonPath(t) + '\0' + message;
                kinds[call] = ERROR;
            }
            if (answer != null) {
                outLengths[call] = answer.length();
                for (int i = 0; i < answer.length(); i++) {
                    char c = answer.charAt(i);
                    text.write(c >> 8);
                    text.write(c);
                }
            }
        }
        return new Object[] {kinds, bigEndian(outLengths), text.toByteArray()};
    }

    private static String payload(Map<String, Object> args) throws Exception {
        return PayloadDecryption.decryptPayload(
                (String) args.get("ivKey"), (String) args.get("encryptedPayload"), (String) args.get("encryptionKey"));
    }

    private static String string(byte[] units, int start, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            int at = 2 * (start + i);
            chars[i] = (char) (((units[at] & 0xff) << 8) | (units[at + 1] & 0xff));
        }
        return new String(chars);
    }

    private static byte[] bigEndian(int[] values) {
        byte[] out = new byte[values.length * 4];
        for (int i = 0; i < values.length; i++) {
            out[4 * i] = (byte) (values[i] >> 24);
            out[4 * i + 1] = (byte) (values[i] >> 16);
            out[4 * i + 2] = (byte) (values[i] >> 8);
            out[4 * i + 3] = (byte) values[i];
        }
        return out;
    }
}
