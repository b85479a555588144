package com.lithium.bandolier.encryption;

import com.google.common.annotations.VisibleForTesting;
import com.google.common.base.Charsets;
import com.lithium.bandolier.encryption.errors.EncryptionException;
import org.apache.commons.codec.binary.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.concurrent.NotThreadSafe;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.KeyGenerator;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKey;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Optional;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * Implementation of encryption using symmetric encryption with secret key and initialization vector.
 *
 * !!! WARNING !!! This class is NOT thread-safe.  To be more specific, this class can be shared across multiple threads
 * so long as one thread is doing ONLY encryption and the other thread is doing ONLY decryption.   The Cipher object is
 * what is not thread safe.
 */
@NotThreadSafe
public class SymmetricKeyEncryptionProvider implements EncryptionProvider {

    private static final Logger logger = LoggerFactory.getLogger(SymmetricKeyEncryptionProvider.class);

    private static final String AES_CBC_PKCS5_PADDING = "AES/CBC/PKCS5Padding";

    static final boolean URL_SAFE_ENCODING = true;

    static final byte[] CHUNK_SEPARATOR = {'\r', '\n'};

    private final Cipher aesEncryptCipher;  // Not ThreadSafe
    private final Cipher aesDecryptCipher;  // Not ThreadSafe
    private final SecretKey secretKey;
    private final String ivKey;
    private final boolean shouldBase64DecodeKeys;

    public SymmetricKeyEncryptionProvider(String secretKey, String ivKey) throws EncryptionException {
        this(secretKey, ivKey, false);  // for backwards compatibility
    }

    protected SymmetricKeyEncryptionProvider(final SecretKey secretKey, final String ivKey, final boolean shouldBase64DecodeKeys) throws EncryptionException {
        try {
            aesEncryptCipher = Cipher.getInstance(AES_CBC_PKCS5_PADDING);
            aesDecryptCipher = Cipher.getInstance(AES_CBC_PKCS5_PADDING);
        } catch (NoSuchAlgorithmException | NoSuchPaddingException ex) {
            logger.error("Cannot initialize cipher.", ex);
            throw new EncryptionException("Cannot initialize cipher.", ex);
        }

        this.secretKey = secretKey;
        this.ivKey = ivKey;
        this.shouldBase64DecodeKeys = shouldBase64DecodeKeys;
    }

    public SymmetricKeyEncryptionProvider(String secretKey, String ivKey, boolean shouldBase64DecodeKeys) throws EncryptionException {
        try {
            // The AES encryption in CBC mode is considered one of the most secure and fast symmetrical encryption schemes adopted by the US government and many other organizations worldwide.
            // Using default JCE provider that comes with standard JDKs to avoid problems with packaging encryption jars inside shaded mailman jar.
            aesEncryptCipher = Cipher.getInstance(AES_CBC_PKCS5_PADDING);
            aesDecryptCipher = Cipher.getInstance(AES_CBC_PKCS5_PADDING);

            checkNotNull(secretKey);

            // ----------------------------------------------------------------------
            // secret keys and IVs do not go into URLs and do not need to use Base64 URL-safe encoding
            //
            this.secretKey = new SecretKeySpec(shouldBase64DecodeKeys ? Base64.decodeBase64(secretKey.getBytes()) : secretKey.getBytes(), "AES");
            this.ivKey = checkNotNull(ivKey);
            this.shouldBase64DecodeKeys = shouldBase64DecodeKeys;
        } catch (NoSuchAlgorithmException | NoSuchPaddingException ex) {
            logger.error("Cannot initialize cipher.", ex);
            throw new EncryptionException("Cannot initialize cipher.", ex);
        }
    }

    @Override
    public EncryptionProvider copy() throws EncryptionException {
        return new SymmetricKeyEncryptionProvider(new SecretKeySpec(this.secretKey.getEncoded(), "AES"), ivKey, shouldBase64DecodeKeys);
    }

    @Override
    public String encryptString(String plainText) throws EncryptionException {
        return encryptString(plainText, ivKey);
    }

    @Override
    public String encryptString(String plainText, String ivKey) throws EncryptionException {
        try {
            aesEncryptCipher.init(Cipher.ENCRYPT_MODE, secretKey, getIVSpec(ivKey));
            byte[] encryptedBytes = aesEncryptCipher.doFinal(plainText.getBytes(Charsets.UTF_8));
            // ----------------------------------------------------------------------
            // we use the static method instead of the instance supplied by this.createBase64()
            // because the static method has extra error handling already built in.  There is
            // a dependency between the args used here and the args used in the constructor inside
            // this.createBase64().
            //
            byte[] encodedBytes = Base64.encodeBase64(encryptedBytes, false, URL_SAFE_ENCODING);
            return encodedBytes == null ? null : new String(encodedBytes, Charsets.UTF_8);
        } catch (InvalidAlgorithmParameterException | InvalidKeyException | IllegalBlockSizeException | BadPaddingException ex) {
            logger.warn("Cannot encrypt string.", ex);
            throw new EncryptionException("Cannot encrypt string.", ex);
        }
    }

    @Override
    public String decryptString(String cipherText) throws EncryptionException {
        return decryptString(cipherText, ivKey);
    }

    @Override
    public String decryptString(String cipherText, String ivKey) throws EncryptionException {
        try {
            aesDecryptCipher.init(Cipher.DECRYPT_MODE, secretKey, getIVSpec(ivKey));
            // ----------------------------------------------------------------------
            // The built in static methods do not have a form that allows URL safe decoding, so
            // we construct the right type of Base64 and then decode directly with it.
            //
            final Base64 b64 = createBase64();
            byte[] decodedCipherText = b64.decode(cipherText.getBytes(Charsets.UTF_8));
            return new String(aesDecryptCipher.doFinal(decodedCipherText), Charsets.UTF_8);
        } catch (IllegalBlockSizeException | InvalidKeyException | InvalidAlgorithmParameterException | BadPaddingException ex) {
            logger.info("Cannot decrypt string");
            throw new EncryptionException("Cannot decrypt string.", ex);
        }
    }

    /**
     * Create a new initialization-vector to facilitate rotating IV's in application code for each piece of data.
     * @return a SecureRandom initialized byte[16] that has been base64 encoded.
     */
    public static String generateNewIV() {
        byte[] iv = new byte[16];
        new SecureRandom().nextBytes(iv);
        // ----------------------------------------------------------------------
        // secret keys and IVs were NOT encoded with URL_SAFE base64 originally, and there is no point
        // and much risk in changing them.  So, we leave their codec unchanged.
        //
        return new String(Base64.encodeBase64(iv, false), Charsets.UTF_8);
    }

    public static Optional<String> generateNewKey() {
        try {
            final int keyLength = 256;
            final String algorithm = "AES";

            final KeyGenerator keyGen = KeyGenerator.getInstance(algorithm);
            keyGen.init(keyLength);
            final SecretKey secretKey = keyGen.generateKey();
            return Optional.of(Base64.encodeBase64String(secretKey.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            logger.error("Unable to generate an encryption key", e);
            return Optional.empty();
        }
    }

    @VisibleForTesting
    Base64 createBase64() {
        return new Base64(0 /* means no chunking */, CHUNK_SEPARATOR, URL_SAFE_ENCODING);
    }

    private IvParameterSpec getIVSpec(String ivKey) {
        // ----------------------------------------------------------------------
        // secret keys and IVs were NOT encoded with URL_SAFE base64 originally, and there is no point
        // and much risk in changing them.  So, we leave their codec unchanged.
        //
        return new IvParameterSpec(shouldBase64DecodeKeys ? Base64.decodeBase64(ivKey.getBytes()) : ivKey.getBytes());
    }
}
