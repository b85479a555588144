"""The typed failure reasons. Every error a public function raises is a :class:`ConformanceError`.

Each class carries a stable ``reason`` string. Vectors, the runner and the reference bridges compare failures by
their *reason path*: the reasons of an error and of its causes, outermost first, joined by ``/`` (for example
``EncryptionError/BadPadding``), which is how "both sides failed the same way" becomes a comparable result.
Messages never contain key material, IVs or plaintexts.
"""

from __future__ import annotations


class ConformanceError(Exception):
    """Base class of every error raised by this package."""

    reason = "ConformanceError"

    def reason_path(self) -> str:
        """Return this error's reason followed by the reasons of its typed causes, joined by ``/``."""
        parts = [self.reason]
        cause = self.__cause__
        while isinstance(cause, ConformanceError):
            parts.append(cause.reason)
            cause = cause.__cause__
        return "/".join(parts)


# --- bad arguments (Java: NullPointerException, IllegalArgumentException) -------------------------------------


class InvalidArgument(ConformanceError):
    """An argument has the wrong type or is out of range for the operation."""

    reason = "InvalidArgument"


class NullArgument(InvalidArgument):
    """A required argument is ``None`` (Java throws ``NullPointerException``)."""

    reason = "NullArgument"


class EmptyKey(InvalidArgument):
    """The key is empty (Java's ``SecretKeySpec`` throws ``IllegalArgumentException: Empty key``)."""

    reason = "EmptyKey"


class Base64DecodingError(InvalidArgument):
    """Base64 text that the selected decoding policy rejects (commons-codec strict mode)."""

    reason = "Base64Decoding"


class TransferLinkError(InvalidArgument):
    """A Secure Transfer link without a usable ``payload`` or ``iv`` parameter."""

    reason = "TransferLink"


# --- cipher failures (Java: the JCE's checked exceptions) ------------------------------------------------------


class CryptoError(ConformanceError):
    """A cipher operation failed."""

    reason = "CryptoError"


class InvalidKeyLength(CryptoError):
    """The key is not 16, 24 or 32 bytes (Java: ``InvalidKeyException``)."""

    reason = "InvalidKey"


class InvalidIvLength(CryptoError):
    """The IV is not a length the mode accepts (Java: ``InvalidAlgorithmParameterException``)."""

    reason = "InvalidAlgorithmParameter"


class IllegalBlockSize(CryptoError):
    """Ciphertext that is not a whole number of blocks (Java: ``IllegalBlockSizeException``)."""

    reason = "IllegalBlockSize"


class BadPadding(CryptoError):
    """PKCS#5 padding that does not check out after decryption (Java: ``BadPaddingException``)."""

    reason = "BadPadding"


class BadTag(BadPadding):
    """A GCM tag that does not verify, or input too short to hold one (Java: ``AEADBadTagException``)."""

    reason = "BadTag"


class ShortBuffer(CryptoError):
    """The provider's output buffer was too small (Java: ``ShortBufferException``)."""

    reason = "ShortBuffer"


class ProviderError(CryptoError):
    """The JCE provider failed with an unchecked ``ProviderException`` (JDK 17 does so for GCM input shorter
    than the tag, where a ``AEADBadTagException`` would be expected)."""

    reason = "ProviderException"


# --- scheme-level failures --------------------------------------------------------------------------------------


class EncryptionError(ConformanceError):
    """Khoros ``EncryptionException``: wraps the cipher failure that caused it as ``__cause__``."""

    reason = "EncryptionError"


class UnsupportedOperation(ConformanceError):
    """The implementation does not support this op, or this form of its arguments."""

    reason = "Unsupported"


class ReferenceUnavailable(ConformanceError):
    """A reference runtime (JVM, node, PHP, GnuPG ...) is not installed or could not start."""

    reason = "Unavailable"


class ReferenceFailure(ConformanceError):
    """A reference runtime answered with something the bridge cannot interpret, or crashed."""

    reason = "ReferenceIO"


class UsageError(ConformanceError):
    """A command line, selection or adapter specification that cannot be honoured (CLI exit code 3)."""

    reason = "Usage"


class VectorFileError(ConformanceError):
    """A vector file is missing, is not JSON, or does not match its schema."""

    reason = "VectorFile"


# --- Thread Messenger auto-authentication (conformance/vendors/thread.py) --------------------------------------


class IntOverflow(InvalidArgument):
    """A number whose product overflows a Java ``int`` where the result would depend on more than the arguments."""

    reason = "IntOverflow"


class UnencodableText(InvalidArgument):
    """Text with no UTF-8 encoding (a lone surrogate): PHP's ``json_decode`` refuses such text as well."""

    reason = "UnencodableText"


class EmptySecret(InvalidArgument):
    """The params builder refuses an empty portal secret (a missing setting): anyone could compute the key."""

    reason = "EmptySecret"


class MissingIdentity(InvalidArgument):
    """An identity hash over a field the arguments lack (Intercom: neither ``userId`` nor ``email``)."""

    reason = "MissingIdentity"


# --- BoldChat data validation: parameters, the SHA-512 method and the server-side validator model ---------------


class ParameterError(InvalidArgument):
    """BoldChat parameters that cannot be URL-form encoded or decoded (an empty name, a bad %-escape, bad UTF-8)."""

    reason = "ParameterError"


class UnknownParameter(InvalidArgument):
    """A parameter name that is neither a friendly nor an original name in the document's table."""

    reason = "UnknownParameter"


class ReplayStoreError(ConformanceError):
    """The ChatKey replay store could not be opened or written."""

    reason = "ReplayStore"


class DataValidationError(ConformanceError):
    """A launch the BoldChat server refuses. ``str(error)`` is exactly the document's message for it; the detail,
    when there is one, is the typed ``__cause__`` (so the reason path reads e.g. ``ErrorValidatingChat/HashMismatch``).
    """

    reason = "DataValidation"
    document_message = "Data validation failed"

    def __init__(self) -> None:
        super().__init__(self.document_message)


class ChatNotValidated(DataValidationError):
    """No validation at all (blank SecureParameters), or the Type parameter is missing or does not match."""

    reason = "ChatNotValidated"
    document_message = "Chat Not Validated"


class ErrorValidatingChat(DataValidationError):
    """The hash (or decryption) could not be verified."""

    reason = "ErrorValidatingChat"
    document_message = "Error Validating Chat"


class ChatLaunchExpired(DataValidationError):
    """The Expiration timestamp is not in the future."""

    reason = "ChatLaunchExpired"
    document_message = "Validated chat launch has expired"


class ChatLaunchAlreadyUsed(DataValidationError):
    """The ChatKey has already been used to launch a chat."""

    reason = "ChatLaunchAlreadyUsed"
    document_message = "Validated chat launch has already been used"


class ValidationDetail(ConformanceError):
    """Why a :class:`DataValidationError` was raised; always its ``__cause__``, never raised alone."""

    reason = "ValidationDetail"


class NoSecureParameters(ValidationDetail):
    reason = "NoSecureParameters"


class MalformedHash(ValidationDetail):
    """SecureParameters that do not start with 128 hex digits."""

    reason = "MalformedHash"


class HashMismatch(ValidationDetail):
    reason = "HashMismatch"


class TypeMissing(ValidationDetail):
    reason = "TypeMissing"


class TypeMismatch(ValidationDetail):
    reason = "TypeMismatch"


class MalformedExpiration(ValidationDetail):
    """An Expiration that is not a whole number of milliseconds."""

    reason = "MalformedExpiration"


class AmbiguousParameter(ValidationDetail):
    """A validation-control field (Type, Expiration, ChatKey, Unsecured) given more than once in the signed data."""

    reason = "AmbiguousParameter"


# --- BoldChat PGP SecureParameters (conformance/vendors/boldchat_pgp.py) -----------------------------------------
# Shared by the Python implementation and the bc150, bc-current and gnupg references, so reasons compare.


class PgpError(ConformanceError):
    """An OpenPGP SecureParameters message or key could not be used."""

    reason = "Pgp"


class PgpKeyError(PgpError):
    """A key argument is not a usable OpenPGP key (not a key, wrong kind, protected, unsupported algorithm)."""

    reason = "PgpKey"


class PgpMalformed(PgpError):
    """Not an OpenPGP message: bad armor, bad checksum, truncated or unparseable packets (garbage)."""

    reason = "PgpMalformed"


class PgpNotEncrypted(PgpError):
    """An OpenPGP message without an encryption layer (for example signed only)."""

    reason = "PgpNotEncrypted"


class PgpWrongRecipient(PgpError):
    """The message is not encrypted to the server key."""

    reason = "PgpWrongRecipient"


class PgpDecryptionFailed(PgpError):
    """The session key packet for the server key does not decrypt to a valid session key."""

    reason = "PgpDecryptionFailed"


class PgpNoIntegrityProtection(PgpError):
    """Symmetrically encrypted data without a modification detection code (tag 9): refused."""

    reason = "PgpNoIntegrityProtection"


class PgpIntegrityError(PgpError):
    """The modification detection code (or the quick check) fails: the message was tampered with."""

    reason = "PgpIntegrity"


class PgpUnsigned(PgpError):
    """The decrypted message holds no signature."""

    reason = "PgpUnsigned"


class PgpWrongSigner(PgpError):
    """The message is signed, but not by the brand's signing key."""

    reason = "PgpWrongSigner"


class PgpBadSignature(PgpError):
    """The signature names the brand's key but does not verify."""

    reason = "PgpBadSignature"


class PgpUnsupported(PgpError):
    """A well-formed message that uses an algorithm or packet version this implementation refuses."""

    reason = "PgpUnsupported"


class PgpWeakHash(PgpUnsupported):
    """A signature made with a hash the chosen policy refuses (MD5, SHA-1, RIPEMD-160 under the strict policy)."""

    reason = "PgpWeakHash"


# --- JWT / JWS tokens: Khoros widget JWT (khoros_jwt.py) and Talkative signed interaction data (talkative.py) ------


class InvalidKeyMaterial(InvalidArgument):
    """A PEM key that cannot be loaded, or is not the kind of key the operation needs (e.g. not EC P-256)."""

    reason = "InvalidKeyMaterial"


class SecretIsAsymmetricKey(InvalidArgument):
    """An HMAC secret that parses as a PEM key: jsonwebtoken refuses it for HS256 (``must be a symmetric key``)."""

    reason = "SecretIsAsymmetricKey"


class TokenError(ConformanceError):
    """A JWT/JWS that does not verify. Subclasses name the reason; messages never hold the secret or key."""

    reason = "TokenError"


class MalformedToken(TokenError):
    """Not three dot-separated parts, bad base64url, or a header or payload that is not the JSON it must be."""

    reason = "MalformedToken"


class UnsignedToken(TokenError):
    """The signature part is empty (jsonwebtoken: ``jwt signature is required``)."""

    reason = "UnsignedToken"


class AlgNone(TokenError):
    """The header says ``"alg": "none"``: an unsecured JWS, never accepted."""

    reason = "AlgNone"


class AlgorithmNotAllowed(TokenError):
    """The header's ``alg`` is not the one algorithm the scheme allows (HS256 for Khoros, ES256 for Talkative)."""

    reason = "AlgorithmNotAllowed"


class UnsupportedHeader(TokenError):
    """A critical header extension (``crit``) that this implementation does not process."""

    reason = "UnsupportedHeader"


class SignatureEncoding(TokenError):
    """An ES256 signature that is not 64 raw bytes R||S (for example DER, as OpenSSL and Java emit by default)."""

    reason = "SignatureEncoding"


class BadSignature(TokenError):
    """The signature does not verify: a wrong key or secret, or a modified header or payload (indistinguishable)."""

    reason = "BadSignature"


class KidMismatch(TokenError):
    """The header's ``kid`` is not the expected key id."""

    reason = "KidMismatch"


class InvalidClaims(TokenError):
    """The payload is not a JSON object, or a registered claim (``exp``, ``nbf``) is not a number."""

    reason = "InvalidClaims"


class TokenExpired(TokenError):
    """``exp`` is not after the verification time."""

    reason = "TokenExpired"


class TokenNotYetValid(TokenError):
    """``nbf`` is after the verification time."""

    reason = "TokenNotYetValid"


class InvalidInteractionData(TokenError):
    """Talkative interaction data that is not a JSON array of ``{"label", "data", "type"}`` string entries."""

    reason = "InvalidInteractionData"


class MissingKid(KidMismatch):
    """The scheme picks the secret by the header's ``kid`` and the header has none."""

    reason = "MissingKid"


class InvalidHeader(TokenError):
    """A header field the scheme requires (``typ: JWT``, a ``cty``) is missing or holds another value."""

    reason = "InvalidHeader"


class MissingClaim(InvalidClaims):
    """A claim the scheme requires (an identity, ``exp``, ``iat``) is not in the payload."""

    reason = "MissingClaim"


class UserMismatch(InvalidClaims):
    """The token's ``user_id`` is not the user who connects."""

    reason = "UserMismatch"


class DevTokenRefused(BadSignature):
    """A development token (signature ``devtoken``) where the app has auth checks on."""

    reason = "DevTokenRefused"


class TtlTooLong(InvalidClaims):
    """A token valid for more than 24 hours, which Twilio refuses."""

    reason = "TtlTooLong"


class WrongContentType(InvalidClaims):
    """The header's ``cty`` is not ``twilio-fpa;v=1``."""

    reason = "WrongContentType"


class ClaimType(InvalidClaims):
    """A claim holds another JSON type than the scheme's (an ``external_id`` sent as a number)."""

    reason = "ClaimType"


class ClaimValue(InvalidClaims):
    """A claim with a fixed value (Zendesk's ``scope: "user"``) holds another one."""

    reason = "ClaimValue"


class ClaimTooLong(InvalidClaims):
    """A claim is longer than the scheme allows (Zendesk: an ``external_id`` of at most 255 characters)."""

    reason = "ClaimTooLong"


class InvalidJwk(InvalidKeyMaterial):
    """A keyset's JWK lacks a member the scheme requires (Salesforce's upload: ``kty``, ``kid``, ``alg``, ``x5c``)."""

    reason = "InvalidJwk"


class CertificateMismatch(InvalidKeyMaterial):
    """A JWK's ``x5c`` certificate holds another key than the JWK's own ``n`` and ``e``."""

    reason = "CertificateMismatch"


class KeyAlgorithmMismatch(AlgorithmNotAllowed):
    """The header's ``alg`` is not the ``alg`` of the JWK its ``kid`` names (an RS512 key, an RS256 token)."""

    reason = "KeyAlgorithmMismatch"


class IssuerMismatch(ClaimValue):
    """The token's ``iss`` is not the keyset's issuer."""

    reason = "IssuerMismatch"


class TokenTooOld(TokenExpired):
    """``iat`` is older than the scheme's window (Kustomer: 15 minutes)."""

    reason = "TokenTooOld"
