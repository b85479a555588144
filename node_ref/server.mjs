// The node reference for handoff-conformance: jsonwebtoken (Khoros widget JWT, the hs256_jwt kinds), jose
// (Talkative ES256 JWS) and crypto.createHmac (the hmac_hex kinds: Intercom, Front, Help Scout, Crisp, tawk.to,
// Chatwoot), and jsonwebtoken as the documented verifier of Stream Chat user tokens and Twilio Access Tokens.
// Speaks the JSON-lines protocol of conformance/jsonlines.py: a hello line, then
// {"id","op","kind","params","args"} -> {"id","ok"} | {"id","error":{"reason","message"}}. End of stdin means exit.
// Two tables: OPS by op name, KINDS by op kind (every catalog op of the kind, called with its params).
// Messages never contain secrets or keys.
import { createRequire } from "node:module";
import { X509Certificate, createHmac, createPrivateKey, createPublicKey, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { CompactSign, compactVerify, importPKCS8, importSPKI, errors as joseErrors } from "jose";

const require = createRequire(import.meta.url);
const jwt = require("jsonwebtoken");

function packageVersion(name) {
  const url = new URL(`./node_modules/${name}/package.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")).version;
}

class OpError extends Error {
  constructor(reason, message) {
    super(message);
    this.reason = reason;
  }
}

function requireString(args, name) {
  if (typeof args[name] !== "string") throw new OpError("InvalidArgument", `${name} must be a string`);
  return args[name];
}

function optionalNumber(args, name) {
  if (args[name] === undefined || args[name] === null) return undefined;
  if (typeof args[name] !== "number") throw new OpError("InvalidArgument", `${name} must be a number`);
  return args[name];
}

function b64urlDecode(segment) {
  return Buffer.from(segment, "base64");
}

// --- Khoros Brand Messenger widget JWT: the document's own jsonwebtoken call ---------------------------------------

const SIGN_ERRORS = {
  "secretOrPrivateKey must have a value": "EmptyKey",
  "secretOrPrivateKey must be a symmetric key when using HS256": "SecretIsAsymmetricKey",
  '"iat" should be a number of seconds': "InvalidArgument",
};

const VERIFY_ERRORS = {
  "jwt must be provided": "MalformedToken",
  "jwt malformed": "MalformedToken",
  "invalid token": "MalformedToken",
  "jwt signature is required": "UnsignedToken",
  "secret or public key must be provided": "EmptyKey",
  "invalid algorithm": "AlgorithmNotAllowed",
  "secretOrPublicKey must be a symmetric key when using HS256": "SecretIsAsymmetricKey",
  "invalid signature": "BadSignature",
  "invalid nbf value": "InvalidClaims",
  "jwt not active": "TokenNotYetValid",
  "invalid exp value": "InvalidClaims",
  "jwt expired": "TokenExpired",
};

function withClock(nowSeconds, action) {
  if (nowSeconds === undefined) return action();
  const saved = Date.now;
  Date.now = () => nowSeconds * 1000;
  try {
    return action();
  } finally {
    Date.now = saved;
  }
}

function widgetSign(args) {
  const userId = requireString(args, "userId");
  const keyId = requireString(args, "keyId");
  const secret = requireString(args, "secret");
  const iat = optionalNumber(args, "iat");
  const now = optionalNumber(args, "now");
  const claims = { scope: "appUser", userId };
  if (iat !== undefined) claims.iat = iat;
  try {
    return withClock(now, () =>
      jwt.sign(claims, secret, { header: { alg: "HS256", typ: "JWT", kid: keyId } }),
    );
  } catch (error) {
    throw new OpError(SIGN_ERRORS[error.message] ?? `Error:${error.name}`, error.message);
  }
}

function widgetVerify(args) {
  const token = requireString(args, "token");
  const keyId = requireString(args, "keyId");
  const secret = requireString(args, "secret");
  const now = optionalNumber(args, "now");
  let decoded;
  try {
    decoded = jwt.verify(token, secret, { algorithms: ["HS256"], complete: true, clockTimestamp: now });
  } catch (error) {
    if (error instanceof SyntaxError) throw new OpError("MalformedToken", "the payload is not JSON");
    if (error instanceof TypeError) throw new OpError("InvalidClaims", "the payload is null");
    throw new OpError(VERIFY_ERRORS[error.message] ?? `Error:${error.name}`, error.message);
  }
  if (decoded.header.kid !== keyId) throw new OpError("KidMismatch", "the token's kid is not the expected key id");
  const claims = decoded.payload;
  if (typeof claims !== "object" || claims === null || Array.isArray(claims)) {
    throw new OpError("InvalidClaims", "the payload is not a JSON object");
  }
  return claims;
}

// --- Talkative signed interaction data: jose CompactSign / compactVerify, ES256 -------------------------------------

function interactionFields(value) {
  if (!Array.isArray(value)) throw new OpError("InvalidInteractionData", "interaction data must be a JSON array");
  return value.map((entry, index) => {
    const ok =
      typeof entry === "object" &&
      entry !== null &&
      !Array.isArray(entry) &&
      Object.keys(entry).length === 3 &&
      ["label", "data", "type"].every((k) => Object.hasOwn(entry, k) && typeof entry[k] === "string");
    if (!ok) {
      throw new OpError("InvalidInteractionData", `entry ${index} is not {"label","data","type"} with string values`);
    }
    return { label: entry.label, data: entry.data, type: entry.type };
  });
}

function payloadBytes(fields) {
  return new TextEncoder().encode(JSON.stringify(interactionFields(fields)));
}

let signingInputKey;

// Importing a key is a pure function of its PEM text: its answer (a key, or a refusal) is kept for the next call
// with the same text, so a campaign that signs or verifies many times under one key does not import it each time.
const KEYS_KEPT = 256;

function remembered(cache, pem, importKey) {
  if (!cache.has(pem)) {
    if (cache.size >= KEYS_KEPT) cache.delete(cache.keys().next().value);
    cache.set(
      pem,
      importKey(pem).then(
        (key) => ({ key }),
        () => ({ refused: true }),
      ),
    );
  }
  return cache.get(pem);
}

const signingKeys = new Map();

async function importSigningKey(keyText) {
  const imported = await remembered(signingKeys, keyText, async (pem) =>
    importPKCS8(createPrivateKey(pem).export({ format: "pem", type: "pkcs8" }), "ES256"),
  );
  if (imported.refused) throw new OpError("InvalidKeyMaterial", "the private key is not a usable P-256 key");
  return imported.key;
}

async function joseSign(payload, alg, keyText) {
  let key;
  if (alg === "ES256") {
    key = await importSigningKey(keyText);
  } else if (alg === "HS256") {
    key = new TextEncoder().encode(keyText);
  } else {
    throw new OpError("InvalidArgument", "alg must be ES256 or HS256");
  }
  return new CompactSign(payload).setProtectedHeader({ alg }).sign(key);
}

async function talkativeSigningInput(args) {
  if (signingInputKey === undefined) {
    const { generateKeyPairSync } = await import("node:crypto");
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    signingInputKey = privateKey.export({ format: "pem", type: "pkcs8" });
  }
  const token = await joseSign(payloadBytes(args.fields), "ES256", signingInputKey);
  return token.split(".").slice(0, 2).join(".");
}

async function talkativeSignJose(args) {
  const alg = requireString(args, "alg");
  return joseSign(payloadBytes(args.fields), alg, requireString(args, "keyPem"));
}

function headerAlg(token) {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(b64urlDecode(token.split(".")[0]))).alg;
  } catch {
    return undefined;
  }
}

const verificationKeys = new Map();

async function importVerificationKey(pem) {
  const imported = await remembered(verificationKeys, pem, (text) => importSPKI(text, "ES256"));
  if (imported.refused) throw new OpError("InvalidKeyMaterial", "the public key is not a usable P-256 SPKI PEM");
  return imported.key;
}

async function talkativeVerify(args) {
  const token = requireString(args, "token");
  const key = await importVerificationKey(requireString(args, "publicKeyPem"));
  let result;
  try {
    result = await compactVerify(token, key, { algorithms: ["ES256"] });
  } catch (error) {
    if (error instanceof joseErrors.JOSEAlgNotAllowed) {
      throw new OpError(headerAlg(token) === "none" ? "AlgNone" : "AlgorithmNotAllowed", error.message);
    }
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
      const length = b64urlDecode(token.split(".")[2]).length;
      throw new OpError(length === 64 ? "BadSignature" : "SignatureEncoding", error.message);
    }
    if (error instanceof joseErrors.JOSENotSupported) throw new OpError("UnsupportedHeader", error.message);
    if (error instanceof joseErrors.JWSInvalid) throw new OpError("MalformedToken", error.message);
    throw new OpError(`Error:${error.name}`, error.message);
  }
  let parsed;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(result.payload));
  } catch {
    throw new OpError("InvalidInteractionData", "the payload is not UTF-8 JSON");
  }
  return interactionFields(parsed);
}

// --- the hs256_jwt op kinds: the brand's jwt.sign and the vendor's documented check (conformance/kinds/jwt.py) ---

function positiveSeconds(args) {
  const now = args.now;
  if (!(Number.isInteger(now) && now > 0)) throw new OpError("InvalidArgument", "now must be a positive whole number of seconds");
  return now;
}

function hs256Sign(params, args) {
  const secret = requireString(args, "secret");
  const now = positiveSeconds(args);
  const header = {};
  if (params.kid === "required") header.kid = requireString(args, "keyId");
  Object.assign(header, params.header);
  try {
    return withClock(now, () => jwt.sign(args.claims, secret, { header }));
  } catch (error) {
    const reason = SIGN_ERRORS[error.message] ?? (/^"(iat|exp|nbf)" should be a number/.test(error.message) ? "InvalidArgument" : `Error:${error.name}`);
    throw new OpError(reason, error.message);
  }
}

const HS256_VERIFY_ERRORS = {
  ...VERIFY_ERRORS,
  "iat required when maxAge is specified": "MissingClaim",
  "maxAge exceeded": "TokenTooOld",
};

function jsType(value, type) {
  if (type === "string") return typeof value === "string";
  if (type === "boolean") return typeof value === "boolean";
  if (type === "integer") return Number.isInteger(value);
  return typeof value === "number";
}

function hs256Verify(params, args) {
  const token = requireString(args, "token");
  const now = positiveSeconds(args);
  // 1. decode
  let decoded;
  try {
    decoded = jwt.decode(token, { complete: true });
  } catch {
    throw new OpError("MalformedToken", "the payload is not JSON");
  }
  if (!decoded) throw new OpError("MalformedToken", "the token is not a JWS with a JSON header");
  const { header, payload } = decoded;
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    throw new OpError("MalformedToken", "the payload is not a JSON object");
  }
  // 2. alg, signature present; 3. required header fields
  if (header.alg !== "HS256") {
    throw new OpError(header.alg === "none" ? "AlgNone" : "AlgorithmNotAllowed", "only HS256 is accepted");
  }
  if (token.split(".")[2] === "") throw new OpError("UnsignedToken", "the token has no signature");
  for (const [name, value] of Object.entries(params.header)) {
    if (header[name] !== value) throw new OpError("InvalidHeader", `the header's ${name} is not the required value`);
  }
  // 4. the secret: by kid among the keys, or the one secret
  let secret;
  if (params.kid === "required") {
    if (!Object.hasOwn(header, "kid")) throw new OpError("MissingKid", "the header has no kid");
    const found = args.keys.find((key) => typeof header.kid === "string" && key.kid === header.kid);
    if (found === undefined) throw new OpError("KidMismatch", "the header's kid names no key of the keyset");
    secret = found.secret;
  } else {
    secret = requireString(args, "secret");
  }
  if (!secret) throw new OpError("EmptyKey", "the secret must not be empty");
  // 5-6. jsonwebtoken: the signature, nbf, exp (unless ignored), iat + maxAge
  const options = { algorithms: ["HS256"], clockTimestamp: now, ignoreExpiration: params.exp === "ignored" };
  if (params.iatMaxAge !== null) options.maxAge = params.iatMaxAge;
  let claims;
  try {
    claims = jwt.verify(token, secret, options);
  } catch (error) {
    throw new OpError(HS256_VERIFY_ERRORS[error.message] ?? `Error:${error.name}`, error.message);
  }
  return claimRules(params, claims);
}

// Steps 6-8 of hs256_jwt.verify, steps 6 of asym_jws.verify: exp required, each claim rule in order, the identity.
function claimRules(params, claims) {
  if (params.exp === "required" && !Object.hasOwn(claims, "exp")) throw new OpError("MissingClaim", "the token has no exp");
  // the claim rules, in order
  for (const [name, rule] of Object.entries(params.claims)) {
    if (!Object.hasOwn(claims, name)) {
      if (rule.required) throw new OpError("MissingClaim", `the token has no ${name}`);
      continue;
    }
    const value = claims[name];
    if (!jsType(value, rule.type)) throw new OpError("ClaimType", `${name} is not a ${rule.type}`);
    if (Object.hasOwn(rule, "const") && value !== rule.const) throw new OpError("ClaimValue", `${name} does not hold its required value`);
    if (Object.hasOwn(rule, "maxLength") && Array.from(value).length > rule.maxLength) {
      throw new OpError("ClaimTooLong", `${name} is longer than ${rule.maxLength} characters`);
    }
  }
  // the identity: the first claim present
  const identity = {};
  if (params.identity.length > 0) {
    const name = params.identity.find((n) => claims[n] !== undefined && claims[n] !== null);
    if (name === undefined) throw new OpError("MissingClaim", `the token names no identity`);
    identity[name] = claims[name];
  }
  return { claims, identity };
}

// --- hmac_hex: crypto.createHmac('sha256', secret).update(field).digest('hex'), as the vendors' node snippets -----

function textArg(args, name) {
  const value = args[name];
  if (value === undefined) throw new OpError("InvalidArgument", `missing argument ${name}`);
  if (value === null) throw new OpError("NullArgument", `${name} must not be null`);
  if (typeof value !== "string") throw new OpError("InvalidArgument", `${name} must be a string`);
  if (!value.isWellFormed()) throw new OpError("UnencodableText", `${name} has no UTF-8 encoding (a lone surrogate)`);
  return value;
}

function hmacKey(params, args) {
  const secret = textArg(args, "secret");
  if ((params.key ?? "text") === "text") return secret;
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(secret)) {
    throw new OpError("InvalidArgument", "secret is not an even number of hex digits");
  }
  return Buffer.from(secret, "hex");
}

function identityField(params, args) {
  if (Object.hasOwn(args, params.message)) return params.message;
  if (params.fallback !== undefined && Object.hasOwn(args, params.fallback)) return params.fallback;
  throw new OpError("MissingIdentity", "no identity to MAC");
}

function userHash(params, args) {
  const key = hmacKey(params, args);
  return createHmac("sha256", key).update(textArg(args, identityField(params, args))).digest("hex");
}

function asciiLower(bytes) {
  return bytes.map((b) => (b >= 0x41 && b <= 0x5a ? b + 0x20 : b));
}

function hmacHexSign(params, args) {
  const digest = userHash(params, args);
  return params.hexCase === "upper" ? digest.toUpperCase() : digest;
}

function hmacHexVerify(params, args) {
  let expected = userHash(params, args);
  const presented = params.presented ?? "hash";
  const unsigned = params.unsigned === "accept";
  if (!Object.hasOwn(args, presented)) return unsigned;
  const text = textArg(args, presented);
  if (unsigned && text === "") return true;
  let given = Buffer.from(text, "utf8");
  if (params.accept === "either-case") given = asciiLower(given);
  if (params.accept === "upper") expected = expected.toUpperCase();
  const wanted = Buffer.from(expected, "ascii");
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

// --- the asym_jws op kinds: the brand's jwt.sign with an RSA key, and the check against a keyset (kinds/jws.py) ---

const ASYM_SIGN_ERRORS = {
  ...SIGN_ERRORS,
  "secretOrPrivateKey is not valid key material": "InvalidKeyMaterial",
};

function asymSign(params, args) {
  const alg = requireString(args, "alg");
  if (!params.algorithms.includes(alg)) throw new OpError("InvalidArgument", "alg is not one of the allowed algorithms");
  const privateKeyPem = requireString(args, "privateKeyPem");
  const now = positiveSeconds(args);
  const options = { algorithm: alg, header: { ...params.header } };
  if (params.kid === "required") options.keyid = requireString(args, "keyId");
  try {
    return withClock(now, () => jwt.sign(args.claims, privateKeyPem, options));
  } catch (error) {
    let reason = ASYM_SIGN_ERRORS[error.message];
    if (reason === undefined && /^secretOrPrivateKey (must be an asymmetric key|has a minimum key size)/.test(error.message)) reason = "InvalidKeyMaterial";
    if (reason === undefined && /^"(iat|exp|nbf)" should be a number/.test(error.message)) reason = "InvalidArgument";
    throw new OpError(reason ?? `Error:${error.name}`, error.message);
  }
}

const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function bigUint(text) {
  const hex = Buffer.from(text, "base64url").toString("hex");
  return BigInt(hex === "" ? "0" : `0x${hex}`);
}

function jwkKey(jwk) {
  if (jwk.kty !== "RSA") throw new OpError("InvalidKeyMaterial", "the JWK is not an RSA key (kty)");
  for (const name of ["n", "e"]) {
    if (typeof jwk[name] !== "string" || !/^[A-Za-z0-9_-]+$/.test(jwk[name])) {
      throw new OpError("InvalidKeyMaterial", `the JWK's ${name} is not base64url`);
    }
  }
  try {
    return createPublicKey({ key: { kty: "RSA", n: jwk.n, e: jwk.e }, format: "jwk" });
  } catch {
    throw new OpError("InvalidKeyMaterial", "the JWK is not a valid RSA public key");
  }
}

function certificateMatches(jwk) {
  const chain = jwk.x5c;
  if (!Array.isArray(chain) || chain.length === 0 || typeof chain[0] !== "string" || !STANDARD_BASE64.test(chain[0])) {
    throw new OpError("InvalidKeyMaterial", "the JWK's x5c is not a list of base64 certificates");
  }
  let held;
  try {
    held = new X509Certificate(Buffer.from(chain[0], "base64")).publicKey.export({ format: "jwk" });
  } catch {
    throw new OpError("InvalidKeyMaterial", "the JWK's x5c[0] is not a DER certificate");
  }
  return held.kty === "RSA" && bigUint(held.n) === bigUint(jwk.n) && bigUint(held.e) === bigUint(jwk.e);
}

function asymVerify(params, args) {
  const token = requireString(args, "token");
  const now = positiveSeconds(args);
  // 1. decode
  let decoded;
  try {
    decoded = jwt.decode(token, { complete: true });
  } catch {
    throw new OpError("MalformedToken", "the payload is not JSON");
  }
  if (!decoded) throw new OpError("MalformedToken", "the token is not a JWS with a JSON header");
  const { header, payload } = decoded;
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    throw new OpError("MalformedToken", "the payload is not a JSON object");
  }
  // 2. alg among the algorithms, a signature, the header fields
  if (typeof header.alg !== "string" || !params.algorithms.includes(header.alg)) {
    throw new OpError(header.alg === "none" ? "AlgNone" : "AlgorithmNotAllowed", "the algorithm is not allowed");
  }
  if (token.split(".")[2] === "") throw new OpError("UnsignedToken", "the token has no signature");
  for (const [name, value] of Object.entries(params.header)) {
    if (header[name] !== value) throw new OpError("InvalidHeader", `the header's ${name} is not the required value`);
  }
  // 3-4. the JWK the kid names, checked
  if (!Object.hasOwn(header, "kid")) throw new OpError("MissingKid", "the header has no kid");
  const keys = Array.isArray(args.jwks?.keys) ? args.jwks.keys : [];
  const jwk = keys.find((k) => k !== null && typeof k === "object" && typeof header.kid === "string" && k.kid === header.kid);
  if (jwk === undefined) throw new OpError("KidMismatch", "the header's kid names no key of the keyset");
  const missing = params.jwkFields.filter((name) => !Object.hasOwn(jwk, name));
  if (missing.length > 0) throw new OpError("InvalidJwk", `the JWK lacks ${missing.join(", ")}`);
  if (Object.hasOwn(jwk, "alg") && jwk.alg !== header.alg) throw new OpError("KeyAlgorithmMismatch", "the JWK is for another algorithm");
  const key = jwkKey(jwk);
  if (params.x5c === "match" && !certificateMatches(jwk)) {
    throw new OpError("CertificateMismatch", "the JWK's x5c certificate holds another key");
  }
  // 5. jsonwebtoken: the signature, nbf, exp (unless ignored), iss
  const options = { algorithms: params.algorithms, clockTimestamp: now, ignoreExpiration: params.exp === "ignored" };
  if (params.issuer === "argument") options.issuer = requireString(args, "issuer");
  let claims;
  try {
    claims = jwt.verify(token, key, options);
  } catch (error) {
    if (error.message.startsWith("jwt issuer invalid")) {
      throw new OpError(Object.hasOwn(payload, "iss") ? "IssuerMismatch" : "MissingClaim", "the token's iss is not the keyset's issuer");
    }
    throw new OpError(VERIFY_ERRORS[error.message] ?? `Error:${error.name}`, error.message);
  }
  // 6. exp required, the claim rules, the identity
  return claimRules(params, claims);
}

// --- the SDK token flows' documented verifiers (Stream Chat, Twilio Access Tokens): jsonwebtoken reads the token and
// checks the HS256 signature; the vendor's documented rules follow, in the steps and with the reasons of the port
// (conformance/vendors/stream_chat.py, twilio_access_token.py; the PyJWT twin: conformance/references/pyjwt_sdk_tokens.py).

const DEV_SIGNATURE = "devtoken";
const DEV_SEGMENT = /^[A-Za-z0-9+/_-]*={0,2}$/;
const TWILIO_CTY = "twilio-fpa;v=1";
const TWILIO_MAX_TTL = 86_400;
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function argString(args, name) {
  if (args[name] === undefined || args[name] === null) throw new OpError("NullArgument", `${name} must not be None`);
  if (typeof args[name] !== "string") throw new OpError("InvalidArgument", `${name} must be a string`);
  return args[name];
}

function argInteger(args, name, limit) {
  const value = args[name];
  if (value === undefined || value === null) throw new OpError("NullArgument", `${name} must not be None`);
  if (!Number.isInteger(value)) throw new OpError("InvalidArgument", `${name} must be an integer`);
  if (limit !== undefined && Math.abs(value) > limit) throw new OpError("InvalidArgument", `${name} is out of range`);
  return value;
}

// jsonwebtoken's own read (jwt.decode, complete) decides the JWS form; the header and payload are then read as the
// UTF-8 JSON objects RFC 7515 and 7519 make them (jws decodes the header as latin-1 and the payload with U+FFFD for
// bad UTF-8: a twr or identity beyond ASCII would come out garbled).
function readToken(token) {
  let decoded;
  try {
    decoded = jwt.decode(token, { complete: true });
  } catch {
    throw new OpError("MalformedToken", "the payload is not JSON");
  }
  if (!decoded) throw new OpError("MalformedToken", "jsonwebtoken cannot read the token as a JWS");
  const [header, payload] = token.split(".", 2).map((segment) => {
    try {
      return JSON.parse(strictUtf8.decode(Buffer.from(segment, "base64url")));
    } catch {
      throw new OpError("MalformedToken", "the header or payload is not UTF-8 JSON");
    }
  });
  if (!isObject(header) || !isObject(payload)) throw new OpError("MalformedToken", "the header or payload is not a JSON object");
  return { header, payload };
}

const SDK_SIGNATURE_ERRORS = {
  "invalid signature": "BadSignature",
  "jwt signature is required": "BadSignature",
  "secret or public key must be provided": "EmptyKey",
  "secretOrPublicKey must be a symmetric key when using HS256": "SecretIsAsymmetricKey",
};

// jwt.verify with HS256 only, the time claims left to the vendor's rules.
function checkSignature(token, secret) {
  if (!secret.isWellFormed()) throw new OpError("UnencodableText", "the secret has no UTF-8 encoding (a lone surrogate)");
  try {
    jwt.verify(token, secret, { algorithms: ["HS256"], ignoreExpiration: true, ignoreNotBefore: true });
  } catch (error) {
    throw new OpError(SDK_SIGNATURE_ERRORS[error.message] ?? "MalformedToken", error.message);
  }
}

function devSegment(segment, what) {
  const unpadded = segment.replace(/=+$/, "");
  if (!DEV_SEGMENT.test(segment) || unpadded.length % 4 === 1) throw new OpError("MalformedToken", `the ${what} is not Base64`);
  let value;
  try {
    value = JSON.parse(strictUtf8.decode(Buffer.from(unpadded, "base64")));
  } catch {
    throw new OpError("MalformedToken", `the ${what} is not Base64 JSON`);
  }
  if (!isObject(value)) throw new OpError("MalformedToken", `the ${what} is not a JSON object`);
  return value;
}

function streamVerify(args) {
  const token = argString(args, "token");
  const secret = argString(args, "secret");
  const now = argInteger(args, "now");
  const authChecks = args.authChecks === undefined ? true : args.authChecks;
  if (authChecks === null) throw new OpError("NullArgument", "authChecks must not be None");
  if (typeof authChecks !== "boolean") throw new OpError("InvalidArgument", "authChecks must be a boolean");
  const pieces = token.split(".");
  if (pieces.length !== 3) throw new OpError("MalformedToken", "a token has three segments");
  let claims;
  if (pieces[2] === DEV_SIGNATURE) {
    if (authChecks) throw new OpError("DevTokenRefused", "a development token where auth checks are on");
    devSegment(pieces[0], "header");
    claims = devSegment(pieces[1], "payload");
  } else {
    const decoded = readToken(token);
    if (decoded.header.alg !== "HS256") throw new OpError("MalformedToken", "the token is not HS256");
    checkSignature(token, secret);
    claims = decoded.payload;
  }
  if (typeof claims.user_id !== "string") throw new OpError("InvalidClaims", "the token has no user_id string");
  if (args.userId !== undefined && args.userId !== null && claims.user_id !== args.userId) {
    throw new OpError("UserMismatch", "the token's user_id is not the connecting user's");
  }
  const exp = Object.hasOwn(claims, "exp") ? claims.exp : null;
  if (exp !== null) {
    if (typeof exp !== "number") throw new OpError("InvalidClaims", "exp is not a number");
    if (exp <= now) throw new OpError("TokenExpired", "the token expired");
  }
  return { user_id: claims.user_id, exp };
}

function codePointOrder(a, b) {
  const left = Array.from(a, (c) => c.codePointAt(0));
  const right = Array.from(b, (c) => c.codePointAt(0));
  for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
    if (left[i] !== right[i]) return left[i] - right[i];
  }
  return left.length - right.length;
}

function ownOr(object, name, fallback) {
  return Object.hasOwn(object, name) ? object[name] : fallback;
}

function twilioVerify(args) {
  const token = argString(args, "token");
  const secret = argString(args, "secret");
  const now = argInteger(args, "now", 2 ** 53);
  if (token.split(".").length !== 3) throw new OpError("MalformedToken", "a token has three segments");
  const { header, payload: claims } = readToken(token);
  if (header.alg !== "HS256") throw new OpError("MalformedToken", "the token is not HS256");
  checkSignature(token, secret);
  if (header.cty !== TWILIO_CTY) throw new OpError("WrongContentType", "cty is not twilio-fpa;v=1");
  if (args.keySid !== undefined && args.keySid !== null && ownOr(claims, "iss", null) !== args.keySid) {
    throw new OpError("InvalidClaims", "iss is not the API key SID");
  }
  if (args.accountSid !== undefined && args.accountSid !== null && ownOr(claims, "sub", null) !== args.accountSid) {
    throw new OpError("InvalidClaims", "sub is not the account SID");
  }
  for (const name of ["exp", "nbf", "iat"]) {
    if (Object.hasOwn(claims, name) && typeof claims[name] !== "number") throw new OpError("InvalidClaims", `${name} is not a number`);
  }
  if (!Object.hasOwn(claims, "exp")) throw new OpError("InvalidClaims", "no exp");
  if (claims.exp <= now) throw new OpError("TokenExpired", "the token expired");
  if (Object.hasOwn(claims, "nbf") && claims.nbf > now) throw new OpError("TokenNotYetValid", "the token is not valid yet");
  if (claims.exp - ownOr(claims, "nbf", ownOr(claims, "iat", now)) > TWILIO_MAX_TTL) {
    throw new OpError("TtlTooLong", "the token is valid for more than 24 hours");
  }
  const grants = ownOr(claims, "grants", null);
  if (!isObject(grants)) throw new OpError("InvalidClaims", "grants is not an object");
  const products = Object.keys(grants).filter((name) => name !== "identity").sort(codePointOrder);
  return { identity: ownOr(grants, "identity", null), grants: products, exp: claims.exp, region: ownOr(header, "twr", null) };
}

const KINDS = {
  "hs256_jwt.sign": hs256Sign,
  "hs256_jwt.verify": hs256Verify,
  "hmac_hex.sign": hmacHexSign,
  "hmac_hex.verify": hmacHexVerify,
  "asym_jws.sign": asymSign,
  "asym_jws.verify": asymVerify,
};

const OPS = {
  "khoros.widget_jwt.sign": widgetSign,
  "khoros.widget_jwt.verify": widgetVerify,
  "talkative.signing_input": talkativeSigningInput,
  "talkative.verify": talkativeVerify,
  "talkative.sign_jose": talkativeSignJose,
  "stream.token.verify": streamVerify,
  "twilio.access_token.verify": twilioVerify,
};

function write(message) {
  process.stdout.write(JSON.stringify(message) + "\n");
}

write({
  hello: {
    name: "node",
    ops: Object.keys(OPS),
    kinds: Object.keys(KINDS),
    versions: {
      node: process.versions.node,
      jsonwebtoken: packageVersion("jsonwebtoken"),
      jose: packageVersion("jose"),
    },
  },
});

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
let chain = Promise.resolve();
lines.on("line", (line) => {
  if (!line.trim()) return;
  chain = chain.then(async () => {
    let request;
    try {
      request = JSON.parse(line);
    } catch {
      write({ id: null, error: { reason: "ReferenceIO", message: "request is not JSON" } });
      return;
    }
    const kind = typeof request.kind === "string" && Object.hasOwn(KINDS, request.kind) ? KINDS[request.kind] : undefined;
    const params = typeof request.params === "object" && request.params !== null ? request.params : {};
    const op = kind ? (args) => kind(params, args) : OPS[request.op];
    if (op === undefined) {
      write({ id: request.id, error: "unsupported", message: `${request.op} is not implemented in node` });
      return;
    }
    try {
      write({ id: request.id, ok: await op(request.args ?? {}) });
    } catch (error) {
      if (error instanceof OpError) write({ id: request.id, error: { reason: error.reason, message: error.message } });
      else write({ id: request.id, error: { reason: `Error:${error.name}`, message: String(error.message) } });
    }
  });
});
