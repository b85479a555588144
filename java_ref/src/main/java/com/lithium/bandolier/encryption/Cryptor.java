package com.lithium.bandolier.encryption;

import com.google.common.io.BaseEncoding;

import javax.annotation.Nullable;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

import static java.nio.charset.StandardCharsets.UTF_8;

public class Cryptor {

    public static final String AES_GCM = "AES/GCM/NoPadding";
    public static final String AES_CBC = "AES/CBC/PKCS5PADDING";


    private final SecretKeySpec secretKey;
    private final SecureRandom secureRandom;

    public Cryptor(String encryptionKey) {
        try {
            this.secretKey = new SecretKeySpec(aesHashBlock(encryptionKey), "AES");
            this.secureRandom = new SecureRandom();
        } catch (NoSuchAlgorithmException nsae) {
            throw new RuntimeException(nsae);
        }
    }

    // encryptionKey byte array must be a valid AES key size.
    public Cryptor(byte[] encryptionKey)  {
        this.secretKey = new SecretKeySpec(encryptionKey, "AES");
        this.secureRandom = new SecureRandom();
    }

    /**
     * Securely generate N bytes of random data and return as base64 encoded string.
     * @return base64 encoded string
     */
    public String randomBase64(int size) {
        byte[] bytes = new byte[size];
        secureRandom.nextBytes(bytes);
        return BaseEncoding.base64().encode(bytes);
    }

    /**
     * Generate a 128 bit hash block from a provided string for use in AES calculations.
     * @param s performs a SHA-256 hash and returns first 16 bytes.
     * @return byte array of hash
     * @throws NoSuchAlgorithmException
     */
    public byte[] aesHashBlock(String s) throws NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(s.getBytes(UTF_8));
        // Return only 16 bytes of the hash
        return Arrays.copyOf(md.digest(), 16);
    }

    public byte[] decryptCBC(byte[] value, byte[] iv)
            throws BadPaddingException, InvalidAlgorithmParameterException, IllegalBlockSizeException,
                   InvalidKeyException, NoSuchAlgorithmException, NoSuchPaddingException {
        Cipher cipher = Cipher.getInstance(AES_CBC);
        cipher.init(Cipher.DECRYPT_MODE, secretKey, new IvParameterSpec(iv));
        return cipher.doFinal(value);
    }

    public byte[] decryptGCM(byte[] value, byte[] iv, @Nullable  byte[] aad)
            throws BadPaddingException, InvalidAlgorithmParameterException, IllegalBlockSizeException,
                   InvalidKeyException, NoSuchAlgorithmException, NoSuchPaddingException {
        Cipher cipher = Cipher.getInstance(AES_GCM);
        cipher.init(Cipher.DECRYPT_MODE, secretKey, new GCMParameterSpec(128, iv));

        if (aad != null) {
            cipher.updateAAD(aad);
        }

        return cipher.doFinal(value);
    }

    public byte[] encryptCBC(byte[] value, byte[] iv)
            throws BadPaddingException, IllegalBlockSizeException, InvalidAlgorithmParameterException,
                   InvalidKeyException, NoSuchPaddingException, NoSuchAlgorithmException {
        Cipher cipher = Cipher.getInstance(AES_CBC);
        cipher.init(Cipher.ENCRYPT_MODE, secretKey, new IvParameterSpec(iv));
        return cipher.doFinal(value);
    }

    public byte[] encryptGCM(byte[] value, byte[] iv, @Nullable  byte[] aad)
            throws BadPaddingException, IllegalBlockSizeException, InvalidAlgorithmParameterException,
                   InvalidKeyException, NoSuchPaddingException, NoSuchAlgorithmException {
        Cipher cipher = Cipher.getInstance(AES_GCM);
        cipher.init(Cipher.ENCRYPT_MODE, secretKey, new GCMParameterSpec(128, iv));

        if (aad != null) {
            cipher.updateAAD(aad);
        }

        return cipher.doFinal(value);
    }

}
