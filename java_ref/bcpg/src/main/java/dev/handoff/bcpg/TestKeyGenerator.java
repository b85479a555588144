package dev.handoff.bcpg;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.util.Date;

import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.Features;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.PBESecretKeyEncryptor;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/**
 * Makes a TEST key ring the way BouncyCastle 1.50-era code did (the widely copied {@code PGPKeyRingGenerator}
 * recipe): an RSA-2048 sign/certify primary key and an RSA-2048 encryption subkey, the user ID self-signature and the
 * subkey binding signature made with <b>SHA-1</b>, and the secret keys left <b>unprotected</b> (no passphrase), as
 * the project's TEST keys are. Only for the conformance suite's fixtures (vectors/keys/pgp/README.md).
 *
 * <p>Run with one BouncyCastle build's classpath:
 * {@code java -cp target/bc150/handoff-bcpg.jar:target/bc150/lib/* dev.handoff.bcpg.TestKeyGenerator USER_ID PREFIX}
 * writes {@code PREFIX.pub.asc} and {@code PREFIX.sec.asc}.
 */
public final class TestKeyGenerator {
    private static final int BITS = 2048;
    private static final int CERTAINTY = 80;

    private TestKeyGenerator() {}

    /** {"ok", armored public key, armored secret key} or {"error", reason, message}. */
    public static String[] generate(String userId) {
        try {
            PGPKeyRingGenerator rings = ringGenerator(userId);
            return new String[] {
                "ok", armored(rings.generatePublicKeyRing().getEncoded()), armored(rings.generateSecretKeyRing().getEncoded())
            };
        } catch (Throwable t) {
            return new String[] {"error", "Java:" + t.getClass().getName(), String.valueOf(t.getMessage())};
        }
    }

    private static PGPKeyRingGenerator ringGenerator(String userId) throws PGPException {
        RSAKeyPairGenerator generator = new RSAKeyPairGenerator();
        generator.init(new RSAKeyGenerationParameters(BigInteger.valueOf(0x10001), new SecureRandom(), BITS, CERTAINTY));
        Date now = new Date();
        PGPKeyPair primary = new BcPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, generator.generateKeyPair(), now);
        PGPKeyPair subkey = new BcPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, generator.generateKeyPair(), now);

        PGPSignatureSubpacketGenerator primaryPackets = new PGPSignatureSubpacketGenerator();
        primaryPackets.setKeyFlags(false, KeyFlags.SIGN_DATA | KeyFlags.CERTIFY_OTHER);
        primaryPackets.setPreferredSymmetricAlgorithms(false, new int[] {
            SymmetricKeyAlgorithmTags.AES_256, SymmetricKeyAlgorithmTags.AES_192, SymmetricKeyAlgorithmTags.AES_128
        });
        primaryPackets.setPreferredHashAlgorithms(false, new int[] {
            HashAlgorithmTags.SHA256, HashAlgorithmTags.SHA1, HashAlgorithmTags.SHA384, HashAlgorithmTags.SHA512,
            HashAlgorithmTags.SHA224
        });
        primaryPackets.setFeature(false, Features.FEATURE_MODIFICATION_DETECTION);
        PGPSignatureSubpacketGenerator subkeyPackets = new PGPSignatureSubpacketGenerator();
        subkeyPackets.setKeyFlags(false, KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE);

        // The NULL cipher (BouncyCastle 1.50 needs an encryptor object) leaves the secret keys unprotected. No
        // checksum calculator: the recipe's SHA-1 one would make 1.50 write a 20-byte SHA-1 checksum behind S2K usage
        // 0, which only BouncyCastle reads back (GnuPG and the Python loader expect the two-byte sum usage 0 means).
        PBESecretKeyEncryptor unprotected =
                new BcPBESecretKeyEncryptorBuilder(SymmetricKeyAlgorithmTags.NULL).build(new char[0]);
        PGPKeyRingGenerator rings = new PGPKeyRingGenerator(
                PGPSignature.POSITIVE_CERTIFICATION,
                primary,
                userId,
                null,
                primaryPackets.generate(),
                null,
                new BcPGPContentSignerBuilder(primary.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA1),
                unprotected);
        rings.addSubKey(subkey, subkeyPackets.generate(), null);
        return rings;
    }

    private static String armored(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ArmoredOutputStream armor = new ArmoredOutputStream(bytes);
        armor.write(data);
        armor.close();
        return new String(bytes.toByteArray(), StandardCharsets.US_ASCII);
    }

    /** {@code USER_ID PREFIX}: writes PREFIX.pub.asc and PREFIX.sec.asc. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: TestKeyGenerator USER_ID PREFIX");
            System.exit(2);
        }
        String[] result = generate(args[0]);
        if (!"ok".equals(result[0])) {
            System.err.println(result[1] + ": " + result[2]);
            System.exit(1);
        }
        Path prefix = Paths.get(args[1]);
        Files.write(Paths.get(prefix + ".pub.asc"), result[1].getBytes(StandardCharsets.US_ASCII));
        Files.write(Paths.get(prefix + ".sec.asc"), result[2].getBytes(StandardCharsets.US_ASCII));
    }
}
