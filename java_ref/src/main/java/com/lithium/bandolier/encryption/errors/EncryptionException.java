package com.lithium.bandolier.encryption.errors;

public class EncryptionException extends Exception {

    public EncryptionException(String message, Throwable ex) {
        super(message, ex);
    }
}
