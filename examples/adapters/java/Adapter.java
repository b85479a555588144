// An example external adapter in Java: the vendor's own classes (SymmetricKeyEncryptionProvider, Cryptor) called
// directly, speaking the handoff-conformance JSON-lines protocol (docs/adapter-protocol.md). One file, no
// dependencies beyond the vendor jar: run it with the JDK 17 source launcher (see examples/adapters/README.md):
//
//   java -Dfile.encoding=UTF-8 -cp 'java_ref/target/handoff-java-ref.jar:java_ref/target/lib/*' \
//        examples/adapters/java/Adapter.java
//
// -Dfile.encoding=UTF-8 matters: the vendor calls String.getBytes() without a charset (see DEVIATIONS.md).
// Strings cross as JSON backslash-u escapes, each mapped to one Java char, both ways, so lone surrogates survive.

import com.lithium.bandolier.encryption.Cryptor;
import com.lithium.bandolier.encryption.SymmetricKeyEncryptionProvider;
import com.lithium.bandolier.encryption.errors.EncryptionException;
import dev.handoff.ref.PayloadDecryption;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.ProviderException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.ShortBufferException;

public final class Adapter {
    /** An op: JSON arguments in, a JSON value out (String, Boolean, null, Map, List or RawNumber). */
    interface Op {
        Object run(Map<String, Object> args) throws Exception;
    }

    /** A JSON number kept as its text, so that it goes back out exactly as it came in. */
    record RawNumber(String text) {}

    /** An answer that is an error with a reason path of the protocol's vocabulary. */
    static final class OpError extends Exception {
        final String reason;

        OpError(String reason, String message) {
            super(message);
            this.reason = reason;
        }
    }

    static final Map<String, Op> OPS = new LinkedHashMap<>();

    static {
        OPS.put("khoros.skep.encrypt", a -> {
            SymmetricKeyEncryptionProvider provider = skep(a);
            String plain = (String) a.get("plainText");
            return a.containsKey("ivOverride")
                    ? provider.encryptString(plain, (String) a.get("ivOverride"))
                    : provider.encryptString(plain);
        });
        OPS.put("khoros.skep.decrypt", a -> {
            SymmetricKeyEncryptionProvider provider = skep(a);
            String cipherText = (String) a.get("cipherText");
            return a.containsKey("ivOverride")
                    ? provider.decryptString(cipherText, (String) a.get("ivOverride"))
                    : provider.decryptString(cipherText);
        });
        OPS.put("khoros.cryptor.aes_hash_block", a -> hex(new Cryptor("").aesHashBlock((String) a.get("s"))));
        OPS.put("khoros.cryptor.encrypt_cbc", a -> hex(cryptor(a).encryptCBC(bytes(a, "value"), bytes(a, "iv"))));
        OPS.put("khoros.cryptor.decrypt_cbc", a -> hex(cryptor(a).decryptCBC(bytes(a, "value"), bytes(a, "iv"))));
        OPS.put("khoros.cryptor.encrypt_gcm",
                a -> hex(cryptor(a).encryptGCM(bytes(a, "value"), bytes(a, "iv"), bytes(a, "aad"))));
        OPS.put("khoros.cryptor.decrypt_gcm",
                a -> hex(cryptor(a).decryptGCM(bytes(a, "value"), bytes(a, "iv"), bytes(a, "aad"))));
        OPS.put("khoros.payload.decrypt", a -> {
            String text = PayloadDecryption.decryptPayload(
                    (String) a.get("ivKey"), (String) a.get("encryptedPayload"), (String) a.get("encryptionKey"));
            return text == null ? null : new Json(text).value(); // org.json's text, as a JSON value
        });
    }

    static SymmetricKeyEncryptionProvider skep(Map<String, Object> a) throws EncryptionException {
        return new SymmetricKeyEncryptionProvider(
                (String) a.get("secretKey"), (String) a.get("ivKey"), Boolean.TRUE.equals(a.get("base64Keys")));
    }

    static Cryptor cryptor(Map<String, Object> a) {
        return a.containsKey("keyText") ? new Cryptor((String) a.get("keyText")) : new Cryptor(bytes(a, "keyHex"));
    }

    static byte[] bytes(Map<String, Object> a, String name) {
        Object value = a.get(name);
        return value == null ? null : HexFormat.of().parseHex((String) value);
    }

    static String hex(byte[] data) {
        return data == null ? null : HexFormat.of().formatHex(data);
    }

    // --- Java exceptions as reason paths (the same table as conformance/references/java.py) ----------------------

    static String reasonPath(Throwable thrown) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = thrown; t != null && parts.size() < 8; t = t.getCause()) {
            parts.add(reasonOf(t));
        }
        return String.join("/", parts);
    }

    static String reasonOf(Throwable t) {
        if (t instanceof OpError e) return e.reason;
        if (t instanceof EncryptionException) return "EncryptionError";
        if (t instanceof AEADBadTagException) return "BadTag";
        if (t instanceof BadPaddingException) return "BadPadding";
        if (t instanceof IllegalBlockSizeException) return "IllegalBlockSize";
        if (t instanceof InvalidKeyException) return "InvalidKey";
        if (t instanceof InvalidAlgorithmParameterException) return "InvalidAlgorithmParameter";
        if (t instanceof NullPointerException) return "NullArgument";
        if (t instanceof ShortBufferException) return "ShortBuffer";
        if (t instanceof ProviderException) return "ProviderException";
        if (t instanceof IllegalArgumentException) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (message.equals("Empty key")) return "EmptyKey";
            if (message.toLowerCase().contains("base 64") || message.toLowerCase().contains("base64")) {
                return "Base64Decoding";
            }
            return "InvalidArgument";
        }
        return "Java:" + t.getClass().getName();
    }

    // --- JSON: a strict reader and an ASCII-only writer; each backslash-u escape is one Java char ---

    static final class Json {
        private final String text;
        private int at;

        Json(String text) {
            this.text = text;
        }

        Object value() throws OpError {
            Object value = read();
            skipSpace();
            if (at != text.length()) throw bad("text after the value");
            return value;
        }

        private OpError bad(String why) {
            return new OpError("InvalidArgument", "not JSON: " + why + " at " + at);
        }

        private void skipSpace() {
            while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) at++;
        }

        private char peek() throws OpError {
            if (at >= text.length()) throw bad("unexpected end");
            return text.charAt(at);
        }

        private void expect(String word) throws OpError {
            if (!text.startsWith(word, at)) throw bad("expected " + word);
            at += word.length();
        }

        private Object read() throws OpError {
            skipSpace();
            char c = peek();
            switch (c) {
                case '{':
                    return readObject();
                case '[':
                    return readArray();
                case '"':
                    return readString();
                case 't':
                    expect("true");
                    return Boolean.TRUE;
                case 'f':
                    expect("false");
                    return Boolean.FALSE;
                case 'n':
                    expect("null");
                    return null;
                default:
                    return readNumber();
            }
        }

        private Map<String, Object> readObject() throws OpError {
            Map<String, Object> map = new LinkedHashMap<>();
            at++;
            skipSpace();
            if (peek() == '}') {
                at++;
                return map;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') throw bad("expected a name");
                String name = readString();
                skipSpace();
                expect(":");
                map.put(name, read());
                skipSpace();
                char c = peek();
                at++;
                if (c == '}') return map;
                if (c != ',') throw bad("expected , or }");
            }
        }

        private List<Object> readArray() throws OpError {
            List<Object> list = new ArrayList<>();
            at++;
            skipSpace();
            if (peek() == ']') {
                at++;
                return list;
            }
            while (true) {
                list.add(read());
                skipSpace();
                char c = peek();
                at++;
                if (c == ']') return list;
                if (c != ',') throw bad("expected , or ]");
            }
        }

        private String readString() throws OpError {
            StringBuilder out = new StringBuilder();
            at++;
            while (true) {
                char c = peek();
                at++;
                if (c == '"') return out.toString();
                if (c < 0x20) throw bad("control character in a string");
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = peek();
                at++;
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (at + 4 > text.length()) throw bad("short \\u escape");
                        try {
                            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16)); // one UTF-16 unit
                        } catch (NumberFormatException ex) {
                            throw bad("bad \\u escape");
                        }
                        at += 4;
                    }
                    default -> throw bad("bad escape");
                }
            }
        }

        private RawNumber readNumber() throws OpError {
            int start = at;
            while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) at++;
            String number = text.substring(start, at);
            if (!number.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) throw bad("bad number");
            return new RawNumber(number);
        }

        static void write(StringBuilder out, Object value) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof String s) {
                writeString(out, s);
            } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
                out.append(value);
            } else if (value instanceof RawNumber n) {
                out.append(n.text());
            } else if (value instanceof Map<?, ?> map) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (!first) out.append(',');
                    first = false;
                    writeString(out, (String) entry.getKey());
                    out.append(':');
                    write(out, entry.getValue());
                }
                out.append('}');
            } else if (value instanceof List<?> list) {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) out.append(',');
                    write(out, list.get(i));
                }
                out.append(']');
            } else {
                throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
            }
        }

        static void writeString(StringBuilder out, String s) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c >= 0x20 && c < 0x7f) {
                    out.append(c);
                } else {
                    out.append(String.format("\\u%04x", (int) c)); // every other char, lone surrogates included
                }
            }
            out.append('"');
        }
    }

    // --- the protocol -------------------------------------------------------------------------------------------

    static String answer(Object line) {
        Map<String, Object> answer = new LinkedHashMap<>();
        if (!(line instanceof Map<?, ?> request)) {
            answer.put("id", null);
            answer.put("error", Map.of("reason", "InvalidArgument", "message", "a request must be an object"));
            return encode(answer);
        }
        answer.put("id", request.get("id"));
        Op op = OPS.get(request.get("op") instanceof String name ? name : "");
        if (op == null) {
            answer.put("error", "unsupported");
            answer.put("message", request.get("op") + " is not implemented here");
            return encode(answer);
        }
        try {
            if (!(request.get("args") instanceof Map<?, ?> args)) {
                throw new OpError("InvalidArgument", "op arguments must be a JSON object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) args;
            answer.put("ok", op.run(typed));
        } catch (Exception | Error thrown) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("reason", reasonPath(thrown));
            error.put("message", thrown.getClass().getSimpleName()); // never key material or plaintext
            answer.put("error", error);
        }
        return encode(answer);
    }

    static String encode(Object value) {
        StringBuilder out = new StringBuilder();
        Json.write(out, value);
        return out.toString();
    }

    public static void main(String[] argv) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Writer out = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("java", System.getProperty("java.version"));
        versions.put("commons-codec", String.valueOf(
                org.apache.commons.codec.binary.Base64.class.getPackage().getImplementationVersion()));
        versions.put("file.encoding", System.getProperty("file.encoding"));
        versions.put("protocol", "1");
        Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("name", "example-java");
        hello.put("ops", new ArrayList<Object>(OPS.keySet()));
        hello.put("versions", versions);
        out.write(encode(Map.of("hello", hello)) + "\n");
        out.flush();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) continue;
            String reply;
            try {
                reply = answer(new Json(line).value());
            } catch (OpError e) {
                System.err.println("example-java: " + e.getMessage());
                continue;
            }
            out.write(reply + "\n");
            if (!in.ready()) out.flush(); // flush once per batch, not once per answer
        }
        out.flush();
    }
}
