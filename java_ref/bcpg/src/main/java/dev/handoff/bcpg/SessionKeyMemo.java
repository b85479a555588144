package dev.handoff.bcpg;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.bcpg.InputStreamPacket;
import org.bouncycastle.bcpg.PublicKeyEncSessionPacket;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.operator.PublicKeyDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyDataDecryptorFactory;

/**
 * The session data BouncyCastle recovered from an encrypted session key, remembered by the exact bytes it was
 * recovered from, so an encrypted session key seen again with the same private key is answered without a second
 * RSA private-key operation (a campaign mutates a few dozen messages: most cases keep the message's first packet).
 *
 * <p>Recovery is a function of the private key and the packet's bytes alone (the RSA decryption, the PKCS#1 unpadding
 * and, for a version 3 packet, nothing of the encrypted data that follows), so a remembered answer is the one a new
 * recovery gives. Only successes are remembered: a failure runs again. A version 6 packet, whose recovery reads the
 * encrypted data's packet too, is never remembered. At most {@link #KEPT} answers per key ring collection, the least
 * recently used dropped first. {@link #enable} turns it off and on, {@link #answered} counts what it answered (tests compare both ways).
 */
final class SessionKeyMemo {
    /** Remembered recoveries of one key ring collection kept at most. */
    static final int KEPT = 4096;

    private static volatile boolean enabled = true;
    private static final java.util.concurrent.atomic.AtomicLong ANSWERED = new java.util.concurrent.atomic.AtomicLong();
    private final Map<ByteBuffer, byte[]> known = new LinkedHashMap<ByteBuffer, byte[]>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, byte[]> eldest) {
            return size() > KEPT;
        }
    };

    static void enable(boolean on) {
        enabled = on;
    }

    /** How many recoveries this class loader's memos answered so far. */
    static long answered() {
        return ANSWERED.get();
    }

    /** BouncyCastle's own decryptor factory for {@code key}, answering from this memo where it can. */
    PublicKeyDataDecryptorFactory factory(PGPPrivateKey key) {
        PublicKeyDataDecryptorFactory real = new BcPublicKeyDataDecryptorFactory(key);
        if (!enabled) {
            return real;
        }
        return (PublicKeyDataDecryptorFactory) Proxy.newProxyInstance(
                PublicKeyDataDecryptorFactory.class.getClassLoader(),
                new Class<?>[] {PublicKeyDataDecryptorFactory.class},
                (proxy, method, args) -> {
                    ByteBuffer memoKey = "recoverSessionData".equals(method.getName()) ? key(key, args) : null;
                    if (memoKey != null) {
                        synchronized (known) {
                            byte[] answer = known.get(memoKey);
                            if (answer != null) {
                                ANSWERED.incrementAndGet();
                                return answer.clone();
                            }
                        }
                    }
                    Object result;
                    try {
                        result = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (memoKey != null && result instanceof byte[]) {
                        synchronized (known) {
                            known.put(memoKey, ((byte[]) result).clone());
                        }
                    }
                    return result;
                });
    }

    /** The bytes a recovery depends on (the key's id and every argument), or null when it is not remembered. */
    private static ByteBuffer key(PGPPrivateKey key, Object[] args) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeLong(key.getKeyID());
        for (Object arg : args == null ? new Object[0] : args) {
            if (arg instanceof Integer) {
                out.writeByte('i');
                out.writeInt((Integer) arg);
            } else if (arg instanceof byte[][]) {
                byte[][] parts = (byte[][]) arg;
                out.writeByte('a');
                out.writeInt(parts.length);
                for (byte[] part : parts) {
                    out.writeInt(part == null ? -1 : part.length);
                    if (part != null) {
                        out.write(part);
                    }
                }
            } else if (arg instanceof PublicKeyEncSessionPacket) {
                PublicKeyEncSessionPacket packet = (PublicKeyEncSessionPacket) arg;
                if (packet.getVersion() != 3) {
                    return null;
                }
                byte[] encoded = packet.getEncoded();
                out.writeByte('p');
                out.writeInt(encoded.length);
                out.write(encoded);
            } else if (arg instanceof InputStreamPacket) {
                out.writeByte('d'); // not read by a version 3 packet's recovery
            } else {
                return null;
            }
        }
        out.flush();
        return ByteBuffer.wrap(bytes.toByteArray());
    }
}
