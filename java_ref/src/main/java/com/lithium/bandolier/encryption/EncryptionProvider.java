package com.lithium.bandolier.encryption;

import com.lithium.bandolier.encryption.errors.EncryptionException;

public interface EncryptionProvider {
    /**
     * Provide a copy of this encryption provider. (These are not thread safe!!!)
     */
    EncryptionProvider copy() throws EncryptionException;

    /**
     * Encrypts the given plain text using the secret key and iv that was already set.
     *
     * MAY NOT BE THREAD SAFE. Use .clone() to get a copy and synchronize on it!
     * @param plainText text to get encrypted
     * @return encrypted string
     */
    String encryptString(String plainText) throws EncryptionException;

    /**
     * Encrypts the given plain text using the secret key that was already set.
     *
     * MAY NOT BE THREAD SAFE. Use .clone() to get a copy and synchronize on it!
     * @param plainText text to get encrypted
     * @param ivKey the random iv byte[16] that has been base64 encoded
     * @return encrypted string
     */
    String encryptString(String plainText, String ivKey) throws EncryptionException;

    /**
     * Decrypts the text using the secret key and iv already set in this class.
     *
     * MAY NOT BE THREAD SAFE. Use .clone() to get a copy and synchronize on it!
     * @param cipherText encrypted text to get decrypted
     * @return decrypted string
     */
    String decryptString(String cipherText) throws EncryptionException;

    /**
     * Decrypts the text using the secret key and iv already set in this class.
     *
     * MAY NOT BE THREAD SAFE. Use .clone() to get a copy and synchronize on it!
     * @param cipherText encrypted text to get decrypted
     * @param ivKey the random iv byte[16] that has been base64 encoded
     * @return decrypted string
     */
    String decryptString(String cipherText, String ivKey) throws EncryptionException;

}
