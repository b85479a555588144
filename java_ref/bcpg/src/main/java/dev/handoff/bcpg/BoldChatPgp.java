package dev.handoff.bcpg;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPCompressedDataGenerator;
import org.bouncycastle.openpgp.PGPDataValidationException;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPOnePassSignature;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;

/**
 * BoldChat PGP SecureParameters with BouncyCastle's lightweight (Bc*) API, so no JCE provider is registered and two
 * BouncyCastle versions can live side by side in one JVM, each in its own class loader.
 *
 * <p>Every method returns a String array instead of throwing: {"ok", value} or {"error", reason, message}, where
 * reason is one of the project's PGP reasons (conformance/errors.py). Messages never hold key material.
 *
 * <p>Key rings that parsed are kept by their armored text (at most {@link #KEPT_KEYS} of each kind, the least
 * recently used dropped first), and so are the private keys unlocked from them: a campaign opens thousands of
 * messages with a few keys, and parsing a secret key ring costs about as much as the RSA operation. Parsing is a
 * function of the text alone, so a kept ring answers as a new parse would; a key that fails to parse is not kept.
 */
public final class BoldChatPgp {
    private static final BcKeyFingerprintCalculator FINGERPRINTS = new BcKeyFingerprintCalculator();
    /** Parsed key rings of each kind kept at most. */
    static final int KEPT_KEYS = 64;
    private static final Map<String, SecretKeys> SECRET_RINGS = kept();
    private static final Map<String, PGPPublicKeyRingCollection> PUBLIC_RINGS = kept();

    private BoldChatPgp() {}

    /** A failure with one of the project's reasons. */
    static final class Failure extends Exception {
        final String reason;

        Failure(String reason, String message) {
            super(message);
            this.reason = reason;
        }
    }

    /** Turn the memo of recovered session keys ({@link SessionKeyMemo}) on or off; it is on by default. */
    public static void rememberSessionKeys(boolean on) {
        SessionKeyMemo.enable(on);
    }

    /** How many session keys the memo answered without an RSA operation, since this helper was loaded. */
    public static long rememberedSessionKeys() {
        return SessionKeyMemo.answered();
    }

    private static String[] ok(String value) {
        return new String[] {"ok", value};
    }

    private static String[] error(String reason, String message) {
        return new String[] {"error", reason, message == null ? "" : message};
    }

    private static String[] unexpected(Throwable t) {
        return error("Java:" + t.getClass().getName(), String.valueOf(t.getMessage()));
    }

    // --- keys --------------------------------------------------------------------------------------------------

    private static InputStream decoder(String armored) throws IOException {
        return PGPUtil.getDecoderStream(new ByteArrayInputStream(armored.getBytes(StandardCharsets.UTF_8)));
    }

    /** Key rings of one kind, read with the object factory (BC 1.50 has no collection constructor taking a calculator). */
    private static <T> List<T> rings(String armored, Class<T> kind) throws IOException, Failure {
        PGPObjectFactory factory = new PGPObjectFactory(decoder(armored), FINGERPRINTS);
        List<T> found = new ArrayList<>();
        Object next;
        while ((next = factory.nextObject()) != null) {
            if (!kind.isInstance(next)) {
                throw new Failure("PgpKey", "expected " + kind.getSimpleName() + ", found " + next.getClass().getSimpleName());
            }
            found.add(kind.cast(next));
        }
        if (found.isEmpty()) {
            throw new Failure("PgpKey", "no " + kind.getSimpleName() + " found");
        }
        return found;
    }

    /** A bounded map, least recently used entry dropped first; callers hold its lock. */
    private static <V> Map<String, V> kept() {
        return new LinkedHashMap<String, V>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > KEPT_KEYS;
            }
        };
    }

    /** A parsed secret key ring collection and the private keys unlocked from it, by key id. */
    static final class SecretKeys {
        final PGPSecretKeyRingCollection rings;
        private final Map<Long, PGPPrivateKey> unlocked = new HashMap<>();
        /** The session keys recovered with this collection's private keys ({@link SessionKeyMemo}). */
        final SessionKeyMemo sessions = new SessionKeyMemo();

        SecretKeys(PGPSecretKeyRingCollection rings) {
            this.rings = rings;
        }

        synchronized PGPPrivateKey privateKey(PGPSecretKey key) throws Failure {
            PGPPrivateKey found = unlocked.get(key.getKeyID());
            if (found == null) {
                found = BoldChatPgp.privateKey(key);
                unlocked.put(key.getKeyID(), found);
            }
            return found;
        }
    }

    private static PGPPublicKeyRingCollection publicKeys(String armored) throws Failure {
        synchronized (PUBLIC_RINGS) {
            PGPPublicKeyRingCollection found = PUBLIC_RINGS.get(armored);
            if (found != null) {
                return found;
            }
        }
        PGPPublicKeyRingCollection parsed = parsePublicKeys(armored);
        synchronized (PUBLIC_RINGS) {
            PUBLIC_RINGS.put(armored, parsed);
        }
        return parsed;
    }

    private static SecretKeys secretKeys(String armored) throws Failure {
        synchronized (SECRET_RINGS) {
            SecretKeys found = SECRET_RINGS.get(armored);
            if (found != null) {
                return found;
            }
        }
        SecretKeys parsed = new SecretKeys(parseSecretKeys(armored));
        synchronized (SECRET_RINGS) {
            SECRET_RINGS.put(armored, parsed);
        }
        return parsed;
    }

    private static PGPPublicKeyRingCollection parsePublicKeys(String armored) throws Failure {
        try {
            return new PGPPublicKeyRingCollection(rings(armored, PGPPublicKeyRing.class));
        } catch (Failure f) {
            throw f;
        } catch (Exception e) {
            throw new Failure("PgpKey", "not an OpenPGP public key: " + e.getClass().getSimpleName());
        }
    }

    private static PGPSecretKeyRingCollection parseSecretKeys(String armored) throws Failure {
        try {
            return new PGPSecretKeyRingCollection(rings(armored, PGPSecretKeyRing.class));
        } catch (Failure f) {
            throw f;
        } catch (Exception e) {
            throw new Failure("PgpKey", "not an OpenPGP secret key: " + e.getClass().getSimpleName());
        }
    }

    private static PGPPublicKey encryptionKey(PGPPublicKeyRingCollection rings) throws Failure {
        PGPPublicKey fallback = null;
        for (Iterator<?> r = rings.getKeyRings(); r.hasNext(); ) {
            PGPPublicKeyRing ring = (PGPPublicKeyRing) r.next();
            for (Iterator<?> k = ring.getPublicKeys(); k.hasNext(); ) {
                PGPPublicKey key = (PGPPublicKey) k.next();
                if (!key.isEncryptionKey()) {
                    continue;
                }
                if (!key.isMasterKey()) {
                    return key;
                }
                fallback = key;
            }
        }
        if (fallback == null) {
            throw new Failure("PgpKey", "the server public key has no encryption key");
        }
        return fallback;
    }

    private static PGPSecretKey signingKey(PGPSecretKeyRingCollection rings) throws Failure {
        for (Iterator<?> r = rings.getKeyRings(); r.hasNext(); ) {
            PGPSecretKeyRing ring = (PGPSecretKeyRing) r.next();
            for (Iterator<?> k = ring.getSecretKeys(); k.hasNext(); ) {
                PGPSecretKey key = (PGPSecretKey) k.next();
                if (key.isSigningKey()) {
                    return key;
                }
            }
        }
        throw new Failure("PgpKey", "the signing private key has no signing key");
    }

    private static PGPPrivateKey privateKey(PGPSecretKey key) throws Failure {
        try {
            return key.extractPrivateKey(
                    new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(new char[0]));
        } catch (PGPException | RuntimeException e) {
            throw new Failure("PgpKey", "the secret key cannot be unlocked without a passphrase");
        }
    }

    // --- seal --------------------------------------------------------------------------------------------------

    /**
     * Encrypt {@code plain} to the server's encryption key (AES-256, SEIPD v1 with MDC) and sign it with the brand's
     * key (SHA-256, one-pass signature + literal + signature), ASCII-armored. {@code compression}: "default" and "on"
     * wrap the signed data in a ZIP compressed packet (as BouncyCastle's examples do), "off" does not.
     */
    public static String[] seal(byte[] plain, String serverPublicKey, String signingPrivateKey, String compression) {
        try {
            return ok(sealOrThrow(plain, serverPublicKey, signingPrivateKey, compression));
        } catch (Failure f) {
            return error(f.reason, f.getMessage());
        } catch (Throwable t) {
            return unexpected(t);
        }
    }

    private static String sealOrThrow(byte[] plain, String serverPublicKey, String signingPrivateKey, String compression)
            throws Exception {
        boolean compress;
        if ("default".equals(compression) || "on".equals(compression)) {
            compress = true;
        } else if ("off".equals(compression)) {
            compress = false;
        } else {
            throw new Failure("InvalidArgument", "compression must be default, on or off");
        }
        PGPPublicKey recipient = encryptionKey(publicKeys(serverPublicKey));
        SecretKeys signerKeys = secretKeys(signingPrivateKey);
        PGPSecretKey signer = signingKey(signerKeys.rings);
        PGPPrivateKey signerPrivate = signerKeys.privateKey(signer);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ArmoredOutputStream armor = new ArmoredOutputStream(bytes);
        PGPEncryptedDataGenerator encryption = new PGPEncryptedDataGenerator(
                new BcPGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
                        .setWithIntegrityPacket(true)
                        .setSecureRandom(new SecureRandom()));
        encryption.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(recipient));
        OutputStream encrypted = encryption.open(armor, new byte[1 << 12]);
        PGPCompressedDataGenerator compressor = null;
        OutputStream inner = encrypted;
        if (compress) {
            compressor = new PGPCompressedDataGenerator(CompressionAlgorithmTags.ZIP);
            inner = compressor.open(encrypted);
        }
        PGPSignatureGenerator signature = new PGPSignatureGenerator(
                new BcPGPContentSignerBuilder(signer.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256));
        signature.init(PGPSignature.BINARY_DOCUMENT, signerPrivate);
        signature.generateOnePassVersion(false).encode(inner);
        PGPLiteralDataGenerator literal = new PGPLiteralDataGenerator();
        OutputStream literalOut = literal.open(inner, PGPLiteralData.BINARY, "", plain.length, new Date());
        literalOut.write(plain);
        signature.update(plain);
        literal.close();
        signature.generate().encode(inner);
        if (compressor != null) {
            compressor.close();
        }
        encryption.close();
        armor.close();
        return new String(bytes.toByteArray(), StandardCharsets.US_ASCII);
    }

    // --- open --------------------------------------------------------------------------------------------------

    /**
     * What the BoldChat server does: decrypt with its private key, require integrity protection and a valid MDC,
     * require a signature by the brand's key, and return the literal data. {"ok", hex of the plaintext bytes}.
     */
    public static String[] open(String message, String serverPrivateKey, String signerPublicKey) {
        try {
            return ok(toHex(openOrThrow(message, serverPrivateKey, signerPublicKey)));
        } catch (Failure f) {
            return error(f.reason, f.getMessage());
        } catch (Throwable t) {
            return unexpected(t);
        }
    }

    private static byte[] openOrThrow(String message, String serverPrivateKey, String signerPublicKey)
            throws Exception {
        SecretKeys serverKeys = secretKeys(serverPrivateKey);
        PGPPublicKeyRingCollection signerKeys = publicKeys(signerPublicKey);
        Object first;
        try {
            PGPObjectFactory outer = new PGPObjectFactory(decoder(message), FINGERPRINTS);
            first = outer.nextObject();
            while (first instanceof PGPMarker) {
                first = outer.nextObject();
            }
        } catch (IOException | RuntimeException e) {
            throw new Failure("PgpMalformed", "not an OpenPGP message: " + e.getClass().getSimpleName());
        }
        if (first == null) {
            throw new Failure("PgpMalformed", "not an OpenPGP message: no packets");
        }
        if (!(first instanceof PGPEncryptedDataList)) {
            if (first instanceof PGPCompressedData || first instanceof PGPLiteralData
                    || first instanceof PGPOnePassSignatureList || first instanceof PGPSignatureList) {
                throw new Failure("PgpNotEncrypted", "the message is not encrypted");
            }
            throw new Failure("PgpMalformed", "unexpected first packet: " + first.getClass().getSimpleName());
        }
        PGPPublicKeyEncryptedData chosen = null;
        PGPPrivateKey serverKey = null;
        for (Iterator<?> it = ((PGPEncryptedDataList) first).getEncryptedDataObjects(); it.hasNext(); ) {
            Object candidate = it.next();
            if (!(candidate instanceof PGPPublicKeyEncryptedData)) {
                continue;
            }
            PGPPublicKeyEncryptedData data = (PGPPublicKeyEncryptedData) candidate;
            PGPSecretKey secret = serverKeys.rings.getSecretKey(data.getKeyID());
            if (secret != null) {
                chosen = data;
                serverKey = serverKeys.privateKey(secret);
                break;
            }
        }
        if (chosen == null) {
            throw new Failure("PgpWrongRecipient", "the message is not encrypted to the server key");
        }
        if (!chosen.isIntegrityProtected()) {
            throw new Failure("PgpNoIntegrityProtection", "the message has no integrity protection (no MDC)");
        }
        byte[] clear;
        InputStream clearStream;
        try {
            clearStream = chosen.getDataStream(serverKeys.sessions.factory(serverKey));
        } catch (PGPDataValidationException e) {
            throw new Failure("PgpIntegrity", "the quick check after the session key failed");
        } catch (PGPException | RuntimeException e) {
            throw new Failure("PgpDecryptionFailed", "the session key could not be decrypted");
        }
        try {
            clear = readAll(clearStream);
        } catch (IOException | RuntimeException e) {
            throw new Failure("PgpIntegrity", "the encrypted data is truncated or corrupt");
        }
        boolean intact;
        try {
            intact = chosen.verify();
        } catch (PGPException | IOException | RuntimeException e) {
            throw new Failure("PgpIntegrity", "the modification detection code is missing or corrupt");
        }
        if (!intact) {
            throw new Failure("PgpIntegrity", "the modification detection code does not match");
        }
        try {
            return signedLiteral(new PGPObjectFactory(clear, FINGERPRINTS), signerKeys, 0);
        } catch (Failure f) {
            throw f;
        } catch (IOException | PGPException | RuntimeException e) {
            throw new Failure("PgpMalformed", "the decrypted packets are malformed: " + e.getClass().getSimpleName());
        }
    }

    private static byte[] signedLiteral(PGPObjectFactory factory, PGPPublicKeyRingCollection signerKeys, int depth)
            throws Exception {
        Object next = factory.nextObject();
        if (next instanceof PGPCompressedData) {
            if (depth > 0) {
                throw new Failure("PgpMalformed", "nested compressed data");
            }
            InputStream data = ((PGPCompressedData) next).getDataStream();
            return signedLiteral(new PGPObjectFactory(readAll(data), FINGERPRINTS), signerKeys, depth + 1);
        }
        PGPOnePassSignature onePass = null;
        PGPSignature leading = null;
        if (next instanceof PGPOnePassSignatureList) {
            PGPOnePassSignatureList list = (PGPOnePassSignatureList) next;
            onePass = list.get(0);
            next = factory.nextObject();
        } else if (next instanceof PGPSignatureList) {
            leading = ((PGPSignatureList) next).get(0);
            next = factory.nextObject();
        }
        if (!(next instanceof PGPLiteralData)) {
            throw new Failure("PgpMalformed", "no literal data inside the encrypted message");
        }
        byte[] plain = readAll(((PGPLiteralData) next).getInputStream());
        if (onePass == null && leading == null) {
            throw new Failure("PgpUnsigned", "the message is not signed");
        }
        PGPSignature signature = leading;
        if (onePass != null) {
            Object trailer = factory.nextObject();
            if (!(trailer instanceof PGPSignatureList)) {
                throw new Failure("PgpMalformed", "a one-pass signature without its signature packet");
            }
            signature = ((PGPSignatureList) trailer).get(0);
        }
        PGPPublicKey key = signerKeys.getPublicKey(signature.getKeyID());
        if (key == null) {
            throw new Failure("PgpWrongSigner", "the message is signed by another key");
        }
        signature.init(new BcPGPContentVerifierBuilderProvider(), key);
        signature.update(plain);
        if (!signature.verify()) {
            throw new Failure("PgpBadSignature", "the signature does not verify");
        }
        return plain;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static String toHex(byte[] data) {
        StringBuilder text = new StringBuilder(data.length * 2);
        for (byte b : data) {
            text.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return text.toString();
    }
}
