#!/usr/bin/env node
// An example external adapter: a user's own implementation of Khoros Secure Transfer and Thread Messenger in
// plain node (node:crypto only, no npm packages), speaking the handoff-conformance JSON-lines protocol
// (docs/adapter-protocol.md):
//
//   conformance run --adapter 'mynode=node examples/adapters/node/adapter.mjs'
//
// What it takes to match the vendor's Java byte for byte:
// * Java's String.getBytes(UTF_8) turns a lone surrogate into '?' (node's Buffer would write U+FFFD);
// * Java's new String(bytes, UTF_8) replaces malformed input by its own rules (not the WHATWG decoder's);
// * commons-codec's lenient Base64: both alphabets, other characters skipped, stop at the first '=', a lone
//   trailing character dropped, trailing bits discarded;
// * the JCE's order of checks: IV length before key length, and an empty key refused by SecretKeySpec.

import { createCipheriv, createDecipheriv, createHash, createHmac, timingSafeEqual } from "node:crypto";
import { createInterface } from "node:readline";

class OpError extends Error {
  constructor(reason, message) {
    super(message);
    this.reason = reason;
  }
}

// --- Java's UTF-8 ---------------------------------------------------------------------------------------------

/** String.getBytes(UTF_8): surrogate pairs combine, a lone surrogate becomes '?'. */
function javaUtf8Encode(text) {
  const out = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) out.push(0x3f);
    else if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Buffer.from(out);
}

const isCont = (b) => (b & 0xc0) === 0x80;
const overlong3 = (b1, b2) => b1 === 0xe0 && (b2 & 0xe0) === 0x80;
const badSecondOf4 = (b1, b2) =>
  (b1 === 0xf0 && !(b2 >= 0x90 && b2 <= 0xbf)) || (b1 === 0xf4 && (b2 & 0xf0) !== 0x80) || !isCont(b2);

/** new String(bytes, UTF_8) on JDK 17, malformed input replaced as the JDK replaces it. */
function javaUtf8Decode(data) {
  const out = [];
  const n = data.length;
  const R = "\ufffd";
  let i = 0;
  while (i < n) {
    const b1 = data[i++];
    if (b1 < 0x80) out.push(String.fromCharCode(b1));
    else if (b1 >= 0xc2 && b1 <= 0xdf) {
      if (i >= n) {
        out.push(R);
        break;
      }
      const b2 = data[i];
      if (isCont(b2)) {
        out.push(String.fromCharCode(((b1 & 0x1f) << 6) | (b2 & 0x3f)));
        i++;
      } else out.push(R);
    } else if (b1 >= 0xe0 && b1 <= 0xef) {
      if (i + 1 < n) {
        const b2 = data[i];
        const b3 = data[i + 1];
        if (overlong3(b1, b2) || !isCont(b2) || !isCont(b3)) {
          out.push(R);
          if (!(overlong3(b1, b2) || !isCont(b2))) i++;
        } else {
          const code = ((b1 & 0x0f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
          out.push(code >= 0xd800 && code <= 0xdfff ? R : String.fromCharCode(code));
          i += 2;
        }
        continue;
      }
      out.push(R);
      if (i < n && (overlong3(b1, data[i]) || !isCont(data[i]))) continue;
      break;
    } else if (b1 >= 0xf0 && b1 <= 0xf7) {
      if (i + 2 < n) {
        const [b2, b3, b4] = [data[i], data[i + 1], data[i + 2]];
        const code = ((b1 & 0x07) << 18) | ((b2 & 0x3f) << 12) | ((b3 & 0x3f) << 6) | (b4 & 0x3f);
        if (isCont(b2) && isCont(b3) && isCont(b4) && code >= 0x10000 && code <= 0x10ffff) {
          out.push(String.fromCodePoint(code));
          i += 3;
          continue;
        }
        out.push(R);
        if (b1 > 0xf4 || badSecondOf4(b1, b2)) continue;
        i += isCont(b3) ? 2 : 1;
        continue;
      }
      out.push(R);
      if (b1 > 0xf4 || (i < n && badSecondOf4(b1, data[i]))) continue;
      i++;
      if (i < n && !isCont(data[i])) continue;
      break;
    } else out.push(R);
  }
  return out.join("");
}

// --- commons-codec Base64 -------------------------------------------------------------------------------------

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DECODE = new Map([...ALPHABET].map((ch, i) => [ch, i]));
DECODE.set("-", 62);
DECODE.set("_", 63);

/** Base64.decode under commons-codec's default (lenient) policy; never fails on content. */
function decodeBase64Lenient(text) {
  const values = [];
  for (const ch of text) {
    if (ch === "=") break;
    const v = DECODE.get(ch);
    if (v !== undefined) values.push(v);
  }
  if (values.length % 4 === 1) values.pop();
  const out = [];
  for (let i = 0; i < values.length; i += 4) {
    const group = values.slice(i, i + 4);
    let bits = 0;
    for (const v of group) bits = bits * 64 + v;
    bits *= 64 ** (4 - group.length);
    const bytes = [(bits >> 16) & 0xff, (bits >> 8) & 0xff, bits & 0xff];
    out.push(...bytes.slice(0, group.length - 1));
  }
  return Buffer.from(out);
}

// --- AES as the JCE does it -----------------------------------------------------------------------------------

const BLOCK = 16;

function checkCbcIv(iv) {
  if (iv.length !== BLOCK) throw new OpError("InvalidAlgorithmParameter", "Wrong IV length: must be 16 bytes long");
}

function checkKey(key) {
  if (![16, 24, 32].includes(key.length)) throw new OpError("InvalidKey", `Invalid AES key length: ${key.length} bytes`);
}

function cbcEncrypt(key, iv, plain) {
  checkCbcIv(iv);
  checkKey(key);
  const cipher = createCipheriv(`aes-${key.length * 8}-cbc`, key, iv);
  return Buffer.concat([cipher.update(plain), cipher.final()]);
}

function cbcDecrypt(key, iv, data) {
  checkCbcIv(iv);
  checkKey(key);
  if (data.length % BLOCK) {
    throw new OpError("IllegalBlockSize", "Input length must be multiple of 16 when decrypting with padded cipher");
  }
  if (data.length === 0) return Buffer.alloc(0);
  const decipher = createDecipheriv(`aes-${key.length * 8}-cbc`, key, iv).setAutoPadding(false);
  const out = Buffer.concat([decipher.update(data), decipher.final()]);
  const pad = out[out.length - 1];
  if (pad < 1 || pad > BLOCK || !out.subarray(out.length - pad).every((b) => b === pad)) {
    throw new OpError("BadPadding", "Given final block not properly padded");
  }
  return out.subarray(0, out.length - pad);
}

function checkGcm(key, iv) {
  if (iv.length === 0) throw new OpError("InvalidAlgorithmParameter", "IV is empty");
  checkKey(key);
}

// OpenSSL takes GCM IVs of 1..128 bytes; the JCE takes any non-empty length. Longer IVs are done by hand below.
const OPENSSL_MAX_GCM_IV = 128;

function gcmEncrypt(key, iv, plain, aad) {
  checkGcm(key, iv);
  if (iv.length > OPENSSL_MAX_GCM_IV) return gcmByHand(key, iv, plain, aad || Buffer.alloc(0), null);
  const cipher = createCipheriv(`aes-${key.length * 8}-gcm`, key, iv);
  if (aad && aad.length) cipher.setAAD(aad);
  return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

function gcmDecrypt(key, iv, data, aad) {
  checkGcm(key, iv);
  if (data.length < 16) {
    // JDK 17's SunJCE throws ProviderException(ShortBufferException) here, not AEADBadTagException.
    throw new OpError("ProviderException/ShortBuffer", "Output buffer invalid");
  }
  const body = data.subarray(0, data.length - 16);
  const tag = data.subarray(data.length - 16);
  if (iv.length > OPENSSL_MAX_GCM_IV) return gcmByHand(key, iv, body, aad || Buffer.alloc(0), tag);
  const decipher = createDecipheriv(`aes-${key.length * 8}-gcm`, key, iv);
  decipher.setAuthTag(tag);
  if (aad && aad.length) decipher.setAAD(aad);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new OpError("BadTag", "Tag mismatch");
  }
}

const R = 0xe1n << 120n;
const MASK128 = (1n << 128n) - 1n;
const toBig = (bytes) => (bytes.length ? BigInt(`0x${Buffer.from(bytes).toString("hex")}`) : 0n);
const toBlock = (n) => Buffer.from((n & MASK128).toString(16).padStart(32, "0"), "hex");

/** Multiplication in GF(2^128) with GCM's bit order (NIST SP 800-38D, algorithm 1). */
function gfMultiply(x, y) {
  let z = 0n;
  let v = y;
  for (let bit = 127n; bit >= 0n; bit--) {
    if ((x >> bit) & 1n) z ^= v;
    v = v & 1n ? (v >> 1n) ^ R : v >> 1n;
  }
  return z;
}

function ghash(h, data) {
  let y = 0n;
  for (let offset = 0; offset < data.length; offset += 16) {
    const block = Buffer.alloc(16);
    data.copy(block, 0, offset, Math.min(offset + 16, data.length));
    y = gfMultiply(y ^ toBig(block), h);
  }
  return y;
}

const zeroPadded = (data) => Buffer.concat([data, Buffer.alloc((16 - (data.length % 16)) % 16)]);
const lengthBlock = (a, b) => Buffer.concat([toBlock(BigInt(a) * 8n).subarray(8), toBlock(BigInt(b) * 8n).subarray(8)]);

/** GCM per SP 800-38D for IVs OpenSSL refuses: J0 = GHASH(IV || pad || [len(IV)]64), CTR with inc32. */
function gcmByHand(key, iv, data, aad, tag) {
  const ecb = createCipheriv(`aes-${key.length * 8}-ecb`, key, null).setAutoPadding(false);
  const encryptBlock = (block) => ecb.update(block);
  const h = toBig(encryptBlock(Buffer.alloc(16)));
  const j0 = ghash(h, Buffer.concat([zeroPadded(iv), Buffer.alloc(8), toBlock(BigInt(iv.length) * 8n).subarray(8)]));
  const high = j0 & ~0xffffffffn;
  const keystreamXor = (input) => {
    const out = Buffer.alloc(input.length);
    for (let n = 0; n * 16 < input.length; n++) {
      const counter = high | ((j0 + 1n + BigInt(n)) & 0xffffffffn);
      const stream = encryptBlock(toBlock(counter));
      for (let i = n * 16; i < Math.min(input.length, n * 16 + 16); i++) out[i] = input[i] ^ stream[i - n * 16];
    }
    return out;
  };
  const ciphertext = tag === null ? keystreamXor(data) : data;
  const s = ghash(h, Buffer.concat([zeroPadded(aad), zeroPadded(ciphertext), lengthBlock(aad.length, ciphertext.length)]));
  const fullTag = toBlock(s ^ toBig(encryptBlock(toBlock(j0))));
  if (tag === null) return Buffer.concat([ciphertext, fullTag]);
  if (!timingSafeEqual(fullTag, tag)) throw new OpError("BadTag", "Tag mismatch");
  return keystreamXor(data);
}

// --- the ops --------------------------------------------------------------------------------------------------

function arg(args, name) {
  if (!(name in args)) throw new OpError("InvalidArgument", `missing argument ${name}`);
  return args[name];
}

function text(value, name) {
  if (value === null) throw new OpError("NullArgument", `${name} must not be null`);
  if (typeof value !== "string") throw new OpError("InvalidArgument", `${name} must be a string`);
  return value;
}

function hex(value, name) {
  text(value, name);
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(value)) throw new OpError("InvalidArgument", `${name} is not hex`);
  return Buffer.from(value, "hex");
}

/** new SecretKeySpec(bytes, "AES") refuses an empty key, outside of any EncryptionException. */
function secretKeySpec(bytes) {
  if (bytes.length === 0) throw new OpError("EmptyKey", "Empty key");
  return bytes;
}

/** SymmetricKeyEncryptionProvider(secretKey, ivKey, base64Keys): keys raw UTF-8 or lenient Base64. */
function skep(args) {
  const base64Keys = arg(args, "base64Keys") === true;
  const keyBytes = (s) => (base64Keys ? decodeBase64Lenient(s) : javaUtf8Encode(s));
  const key = secretKeySpec(keyBytes(text(arg(args, "secretKey"), "secretKey")));
  const defaultIv = text(arg(args, "ivKey"), "ivKey");
  const iv = keyBytes("ivOverride" in args ? text(args.ivOverride, "ivOverride") : defaultIv);
  return { key, iv };
}

/** The vendor wraps every cipher failure in EncryptionException: reason path EncryptionError/<cause>. */
function wrapped(action, run) {
  try {
    return run();
  } catch (error) {
    if (error instanceof OpError) throw new OpError(`EncryptionError/${error.reason}`, `Cannot ${action} string.`);
    throw error;
  }
}

function cryptorKey(args) {
  if ("keyText" in args) {
    return createHash("sha256").update(javaUtf8Encode(text(args.keyText, "keyText"))).digest().subarray(0, 16);
  }
  return secretKeySpec(hex(arg(args, "keyHex"), "keyHex"));
}

const optionalHex = (value, name) => (value === null || value === undefined ? null : hex(value, name));

/** Thread: UTF-8 bytes of text that has an encoding (no lone surrogate), as PHP receives it. */
function encodeText(value, name) {
  text(value, name);
  if (!value.isWellFormed()) throw new OpError("UnencodableText", `${name} holds a lone surrogate`);
  return Buffer.from(value, "utf8");
}

const hmacHex = (message, key) => createHmac("sha256", key).update(message).digest("hex");

function connectionKey(args) {
  const email = arg(args, "email");
  const secret = arg(args, "secret");
  return hmacHex(encodeText(email, "email"), encodeText(secret, "secret"));
}

const OPS = {
  "khoros.skep.encrypt": (a) => {
    const { key, iv } = skep(a);
    const plain = text(arg(a, "plainText"), "plainText");
    return wrapped("encrypt", () => cbcEncrypt(key, iv, javaUtf8Encode(plain))).toString("base64url");
  },
  "khoros.skep.decrypt": (a) => {
    const { key, iv } = skep(a);
    const cipherText = text(arg(a, "cipherText"), "cipherText");
    return javaUtf8Decode(wrapped("decrypt", () => cbcDecrypt(key, iv, decodeBase64Lenient(cipherText))));
  },
  "khoros.cryptor.aes_hash_block": (a) =>
    createHash("sha256").update(javaUtf8Encode(text(arg(a, "s"), "s"))).digest().subarray(0, 16).toString("hex"),
  "khoros.cryptor.encrypt_cbc": (a) =>
    cbcEncrypt(cryptorKey(a), hex(arg(a, "iv"), "iv"), hex(arg(a, "value"), "value")).toString("hex"),
  "khoros.cryptor.decrypt_cbc": (a) =>
    cbcDecrypt(cryptorKey(a), hex(arg(a, "iv"), "iv"), hex(arg(a, "value"), "value")).toString("hex"),
  "khoros.cryptor.encrypt_gcm": (a) =>
    gcmEncrypt(cryptorKey(a), hex(arg(a, "iv"), "iv"), hex(arg(a, "value"), "value"), optionalHex(a.aad, "aad")).toString(
      "hex",
    ),
  "khoros.cryptor.decrypt_gcm": (a) =>
    gcmDecrypt(cryptorKey(a), hex(arg(a, "iv"), "iv"), hex(arg(a, "value"), "value"), optionalHex(a.aad, "aad")).toString(
      "hex",
    ),
  "thread.text_bytes": (a) => encodeText(arg(a, "text"), "text").toString("hex"),
  "thread.connection_key": connectionKey,
  "thread.connection_key_bytes": (a) => hmacHex(hex(arg(a, "emailHex"), "emailHex"), hex(arg(a, "secretHex"), "secretHex")),
  "thread.verify_connection_key": (a) => {
    const expected = Buffer.from(connectionKey(a), "ascii");
    const given = encodeText(arg(a, "key"), "key");
    return given.length === expected.length && timingSafeEqual(given, expected);
  },
  "thread.messenger_params": (a) => {
    const appId = arg(a, "appId");
    const email = arg(a, "email");
    const secret = arg(a, "secret");
    encodeText(appId, "appId");
    const message = encodeText(email, "email");
    const key = encodeText(secret, "secret");
    if (key.length === 0) throw new OpError("EmptySecret", "the portal secret is empty");
    return { appId, connectionType: "messenger_auth", connectionEmail: email, connectionKey: hmacHex(message, key) };
  },
};

// --- the protocol ---------------------------------------------------------------------------------------------

function send(message) {
  // JSON.stringify escapes lone surrogates as \udXXX, so the harness gets exactly these UTF-16 code units.
  process.stdout.write(JSON.stringify(message) + "\n");
}

send({
  hello: {
    name: "example-node",
    ops: Object.keys(OPS),
    versions: { node: process.versions.node, openssl: process.versions.openssl, protocol: "1" },
  },
});

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on("line", (line) => {
  if (!line.trim()) return;
  let request;
  try {
    request = JSON.parse(line);
  } catch {
    process.stderr.write("example-node: a request that is not JSON\n");
    return;
  }
  const { id, op, args } = request;
  const run = Object.hasOwn(OPS, op) ? OPS[op] : undefined;
  if (run === undefined) {
    send({ id, error: "unsupported", message: `${op} is not implemented here` });
    return;
  }
  try {
    if (args === null || typeof args !== "object" || Array.isArray(args)) {
      throw new OpError("InvalidArgument", "op arguments must be a JSON object");
    }
    send({ id, ok: run(args) });
  } catch (error) {
    if (error instanceof OpError) send({ id, error: { reason: error.reason, message: error.message } });
    else send({ id, error: { reason: `Error:${error.name}`, message: String(error.message) } });
  }
});
