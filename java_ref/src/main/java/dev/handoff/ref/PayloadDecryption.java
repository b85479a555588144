package dev.handoff.ref;

import com.lithium.bandolier.encryption.EncryptionProvider;
import com.lithium.bandolier.encryption.SymmetricKeyEncryptionProvider;
import com.lithium.bandolier.encryption.errors.EncryptionException;
import java.util.Optional;
import org.json.JSONException;
import org.json.JSONObject;

/**
 * The document's {@code decryptPayload} example, with the key passed in instead of read from a config object and
 * without its logging (which writes the payload to the log). Returns the parsed object's JSON text, or null.
 */
public final class PayloadDecryption {
    private PayloadDecryption() {}

    public static String decryptPayload(String ivKey, String encryptedPayload, String encryptionKey)
            throws EncryptionException {
        Optional<JSONObject> result = decrypt(ivKey, encryptedPayload, encryptionKey);
        return result.map(JSONObject::toString).orElse(null);
    }

    private static Optional<JSONObject> decrypt(String ivKey, String encryptedPayload, String encryptionKey)
            throws EncryptionException {
        if (ivKey.isEmpty() || encryptedPayload.isEmpty()) {
            return Optional.empty();
        }
        try {
            final EncryptionProvider encryptionProvider =
                    new SymmetricKeyEncryptionProvider(encryptionKey, ivKey, true);
            final String plainTextPayload = encryptionProvider.decryptString(encryptedPayload);
            return Optional.of(new JSONObject(plainTextPayload));
        } catch (EncryptionException e) {
            return Optional.empty();
        } catch (JSONException e) {
            return Optional.empty();
        }
    }
}
