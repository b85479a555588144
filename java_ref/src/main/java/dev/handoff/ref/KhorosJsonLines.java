package dev.handoff.ref;

import com.lithium.bandolier.encryption.Cryptor;
import com.lithium.bandolier.encryption.SymmetricKeyEncryptionProvider;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The Khoros ops over the JSON-lines protocol ({@code conformance/jsonlines.py}), answered by the
 * vendor's classes with whatever commons-codec the classpath holds. Used by the reference-version matrix, one JVM
 * per commons-codec version. Answers exactly as {@code conformance/references/khoros_java.py} does over JPype:
 * same ops, same arguments, same reason paths. Strings are JSON-escaped per UTF-16 code unit both ways, so lone
 * surrogates survive.
 */
public final class KhorosJsonLines {
    private KhorosJsonLines() {}

    static final String[] OPS = {
        "khoros.skep.encrypt",
        "khoros.skep.decrypt",
        "khoros.cryptor.aes_hash_block",
        "khoros.cryptor.encrypt_cbc",
        "khoros.cryptor.decrypt_cbc",
        "khoros.cryptor.encrypt_gcm",
        "khoros.cryptor.decrypt_gcm",
        "khoros.payload.decrypt",
    };

    /** Java exception class to reason, most specific first: the same table as {@code java.py}'s _REASONS. */
    private static final String[][] REASONS = {
        {"com.lithium.bandolier.encryption.errors.EncryptionException", "EncryptionError"},
        {"javax.crypto.AEADBadTagException", "BadTag"},
        {"javax.crypto.BadPaddingException", "BadPadding"},
        {"javax.crypto.IllegalBlockSizeException", "IllegalBlockSize"},
        {"java.security.InvalidKeyException", "InvalidKey"},
        {"java.security.InvalidAlgorithmParameterException", "InvalidAlgorithmParameter"},
        {"java.lang.NullPointerException", "NullArgument"},
        {"javax.crypto.ShortBufferException", "ShortBuffer"},
        {"java.security.ProviderException", "ProviderException"},
    };

    /** A JSON value that is written out as is (the payload op's JSON text). */
    private record RawJson(String text) {}

    /** A request the program cannot read: answered as an error with reason {@code BadRequest}. */
    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    public static void main(String[] argv) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("name", "java-khoros");
        hello.put("ops", List.of(OPS));
        hello.put("versions", versions());
        writeLine(out, Map.of("hello", hello));
        out.flush();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            writeLine(out, answer(line));
            if (!in.ready()) {
                out.flush();
            }
        }
        out.flush();
    }

    static Map<String, Object> answer(String line) {
        Map<String, Object> reply = new LinkedHashMap<>();
        Object id = null;
        try {
            Object parsed = new Json(line).parseDocument();
            if (!(parsed instanceof Map<?, ?> request)) {
                throw new BadRequest("a request must be a JSON object");
            }
            id = request.get("id");
            reply.put("id", id);
            Object op = request.get("op");
            Object args = request.get("args");
            if (!(op instanceof String name) || !(args instanceof Map<?, ?> map)) {
                throw new BadRequest("a request needs a string op and an object args");
            }
            if (!List.of(OPS).contains(name)) {
                reply.put("error", "unsupported");
                reply.put("message", name + " is not implemented here");
                return reply;
            }
            reply.put("ok", call(name, map));
        } catch (BadRequest e) {
            reply.put("id", id);
            reply.put("error", error("BadRequest", e.getMessage()));
        } catch (Throwable t) {
            reply.put("id", id);
            reply.put("error", error(reasonPath(t), t.getMessage() != null ? t.getMessage() : t.getClass().getName()));
        }
        return reply;
    }

    private static Map<String, Object> error(String reason, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("reason", reason);
        error.put("message", message);
        return error;
    }

    // --- the ops (the same calls as khoros_java.py) -------------------------------------------------------------

    static Object call(String op, Map<?, ?> args) throws Exception {
        switch (op) {
            case "khoros.skep.encrypt": {
                SymmetricKeyEncryptionProvider provider = skep(args);
                String plain = text(args, "plainText");
                return args.containsKey("ivOverride")
                        ? provider.encryptString(plain, text(args, "ivOverride"))
                        : provider.encryptString(plain);
            }
            case "khoros.skep.decrypt": {
                SymmetricKeyEncryptionProvider provider = skep(args);
                String cipherText = text(args, "cipherText");
                return args.containsKey("ivOverride")
                        ? provider.decryptString(cipherText, text(args, "ivOverride"))
                        : provider.decryptString(cipherText);
            }
            case "khoros.cryptor.aes_hash_block":
                return hex(new Cryptor("").aesHashBlock(text(args, "s")));
            case "khoros.cryptor.encrypt_cbc":
                return hex(cryptor(args).encryptCBC(bytes(args, "value"), bytes(args, "iv")));
            case "khoros.cryptor.decrypt_cbc":
                return hex(cryptor(args).decryptCBC(bytes(args, "value"), bytes(args, "iv")));
            case "khoros.cryptor.encrypt_gcm":
                return hex(cryptor(args).encryptGCM(bytes(args, "value"), bytes(args, "iv"), bytes(args, "aad")));
            case "khoros.cryptor.decrypt_gcm":
                return hex(cryptor(args).decryptGCM(bytes(args, "value"), bytes(args, "iv"), bytes(args, "aad")));
            case "khoros.payload.decrypt": {
                String json = PayloadDecryption.decryptPayload(
                        text(args, "ivKey"), text(args, "encryptedPayload"), text(args, "encryptionKey"));
                return json == null ? null : new RawJson(json);
            }
            default:
                throw new BadRequest("unknown op " + op);
        }
    }

    private static SymmetricKeyEncryptionProvider skep(Map<?, ?> args) throws Exception {
        Object base64Keys = args.get("base64Keys");
        if (!(base64Keys instanceof Boolean flag)) {
            throw new BadRequest("base64Keys must be a boolean");
        }
        return new SymmetricKeyEncryptionProvider(text(args, "secretKey"), text(args, "ivKey"), flag);
    }

    private static Cryptor cryptor(Map<?, ?> args) {
        if (args.containsKey("keyText")) {
            return new Cryptor(text(args, "keyText"));
        }
        return new Cryptor(bytes(args, "keyHex"));
    }

    private static String text(Map<?, ?> args, String name) {
        Object value = args.get(name);
        if (value != null && !(value instanceof String)) {
            throw new BadRequest(name + " must be a string");
        }
        return (String) value;
    }

    private static byte[] bytes(Map<?, ?> args, String name) {
        String hex = text(args, name);
        if (hex == null) {
            return null;
        }
        if (hex.length() % 2 != 0) {
            throw new BadRequest(name + " is not hex");
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int high = Character.digit(hex.charAt(2 * i), 16);
            int low = Character.digit(hex.charAt(2 * i + 1), 16);
            if (high < 0 || low < 0) {
                throw new BadRequest(name + " is not hex");
            }
            out[i] = (byte) ((high << 4) | low);
        }
        return out;
    }

    private static String hex(byte[] data) {
        if (data == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(data.length * 2);
        for (byte b : data) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    // --- reasons (the rules of java.py's reason_path / _reason_of) -----------------------------------------------

    static String reasonPath(Throwable throwable) {
        List<String> parts = new ArrayList<>();
        for (int seen = 0; throwable != null && seen < 8; seen++) {
            parts.add(reasonOf(throwable));
            throwable = throwable.getCause();
        }
        return String.join("/", parts);
    }

    static String reasonOf(Throwable throwable) {
        for (String[] entry : REASONS) {
            try {
                if (Class.forName(entry[0]).isInstance(throwable)) {
                    return entry[1];
                }
            } catch (ClassNotFoundException e) {
                // not on this classpath, so the throwable cannot be one
            }
        }
        if (throwable instanceof IllegalArgumentException) {
            String message = throwable.getMessage() == null ? "" : throwable.getMessage();
            String lower = message.toLowerCase(java.util.Locale.ROOT);
            if (message.equals("Empty key")) {
                return "EmptyKey";
            }
            if (lower.contains("base 64") || lower.contains("base64")) {
                return "Base64Decoding";
            }
            return "InvalidArgument";
        }
        return "Java:" + throwable.getClass().getName();
    }

    // --- versions, read at runtime -------------------------------------------------------------------------------

    static Map<String, Object> versions() {
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("jdk", System.getProperty("java.version"));
        versions.put("jdkVendor", System.getProperty("java.vendor"));
        versions.put("commonsCodec", libraryVersion("org.apache.commons.codec.binary.Base64", "commons-codec", "commons-codec"));
        versions.put("commonsCodecJar", jarName("org.apache.commons.codec.binary.Base64"));
        versions.put("guava", libraryVersion("com.google.common.io.BaseEncoding", "com.google.guava", "guava"));
        versions.put("fileEncoding", System.getProperty("file.encoding"));
        return versions;
    }

    /** The version in the Maven metadata of the jar that loaded {@code className}, else its manifest's. */
    private static String libraryVersion(String className, String groupId, String artifactId) {
        try {
            Class<?> type = Class.forName(className);
            String resource = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
            try (InputStream stream = type.getResourceAsStream(resource)) {
                if (stream != null) {
                    Properties properties = new Properties();
                    properties.load(stream);
                    String version = properties.getProperty("version");
                    if (version != null) {
                        return version;
                    }
                }
            }
            Package pkg = type.getPackage();
            String version = pkg == null ? null : pkg.getImplementationVersion();
            return version == null ? "unknown" : version;
        } catch (ClassNotFoundException | IOException e) {
            return "unknown";
        }
    }

    private static String jarName(String className) {
        try {
            String path = Class.forName(className).getProtectionDomain().getCodeSource().getLocation().getPath();
            return path.substring(path.lastIndexOf('/') + 1);
        } catch (ClassNotFoundException | RuntimeException e) {
            return "unknown";
        }
    }

    // --- JSON, per UTF-16 code unit ------------------------------------------------------------------------------

    static void writeLine(Writer out, Object value) throws IOException {
        StringBuilder sb = new StringBuilder();
        write(sb, value);
        sb.append('\n');
        out.write(sb.toString());
    }

    private static void write(StringBuilder sb, Object value) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String s) {
            quote(sb, s);
        } else if (value instanceof Boolean || value instanceof Number) {
            sb.append(value);
        } else if (value instanceof RawJson raw) {
            asciiOnly(sb, raw.text());
        } else if (value instanceof Json.Number number) {
            sb.append(number.text());
        } else if (value instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                quote(sb, String.valueOf(entry.getKey()));
                sb.append(':');
                write(sb, entry.getValue());
            }
            sb.append('}');
        } else if (value instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(sb, list.get(i));
            }
            sb.append(']');
        } else {
            quote(sb, value.toString());
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c >= 0x7f) {
                        unicodeEscape(sb, c);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** Valid JSON text with every non-ASCII code unit escaped; non-ASCII can only occur inside its strings. */
    private static void asciiOnly(StringBuilder sb, String json) {
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c >= 0x7f) {
                unicodeEscape(sb, c);
            } else {
                sb.append(c);
            }
        }
    }

    private static void unicodeEscape(StringBuilder sb, char c) {
        sb.append(String.format("\\u%04x", (int) c));
    }

    /** A small JSON reader: {@code \\uXXXX} escapes become single chars, so lone surrogates stay lone. */
    static final class Json {
        /** A number, kept as its text (only request ids are numbers). */
        record Number(String text) {}

        private final String text;
        private int pos;

        Json(String text) {
            this.text = text;
        }

        Object parseDocument() {
            Object value = parseValue();
            skipSpace();
            if (pos != text.length()) {
                throw new BadRequest("trailing characters at " + pos);
            }
            return value;
        }

        private Object parseValue() {
            skipSpace();
            if (pos >= text.length()) {
                throw new BadRequest("unexpected end of JSON");
            }
            char c = text.charAt(pos);
            switch (c) {
                case '{':
                    return parseObject();
                case '[':
                    return parseArray();
                case '"':
                    return parseString();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    return parseNumber();
            }
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, pos)) {
                throw new BadRequest("bad literal at " + pos);
            }
            pos += word.length();
            return value;
        }

        private Map<String, Object> parseObject() {
            Map<String, Object> map = new LinkedHashMap<>();
            pos++;
            skipSpace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') {
                    throw new BadRequest("expected a key at " + pos);
                }
                String key = parseString();
                skipSpace();
                expect(':');
                map.put(key, parseValue());
                skipSpace();
                char c = next();
                if (c == '}') {
                    return map;
                }
                if (c != ',') {
                    throw new BadRequest("expected , or } at " + (pos - 1));
                }
            }
        }

        private List<Object> parseArray() {
            List<Object> list = new ArrayList<>();
            pos++;
            skipSpace();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                list.add(parseValue());
                skipSpace();
                char c = next();
                if (c == ']') {
                    return list;
                }
                if (c != ',') {
                    throw new BadRequest("expected , or ] at " + (pos - 1));
                }
            }
        }

        private String parseString() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw new BadRequest("short \\u escape at " + pos);
                        }
                        try {
                            sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw new BadRequest("bad \\u escape at " + pos);
                        }
                        pos += 4;
                    }
                    default -> throw new BadRequest("bad escape at " + (pos - 1));
                }
            }
        }

        private Number parseNumber() {
            int start = pos;
            while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
            if (start == pos) {
                throw new BadRequest("unexpected character at " + pos);
            }
            return new Number(text.substring(start, pos));
        }

        private void skipSpace() {
            while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private char next() {
            if (pos >= text.length()) {
                throw new BadRequest("unexpected end of JSON");
            }
            return text.charAt(pos++);
        }

        private void expect(char c) {
            if (next() != c) {
                throw new BadRequest("expected " + c + " at " + (pos - 1));
            }
        }
    }
}
