package dev.handoff.ref;

/** Moves strings across the JPype bridge as UTF-16 code units, so lone surrogates survive both ways. */
public final class JStrings {
    private JStrings() {}

    /** Builds a String from big-endian UTF-16 code units, through a char[] and with no decoder involved. */
    public static String fromUtf16be(byte[] units) {
        char[] chars = new char[units.length / 2];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) (((units[2 * i] & 0xff) << 8) | (units[2 * i + 1] & 0xff));
        }
        return new String(chars);
    }

    /** Returns the String's char[] as big-endian UTF-16 code units, with no encoder involved. */
    public static byte[] toUtf16be(String s) {
        char[] chars = s.toCharArray();
        byte[] out = new byte[chars.length * 2];
        for (int i = 0; i < chars.length; i++) {
            out[2 * i] = (byte) (chars[i] >> 8);
            out[2 * i + 1] = (byte) chars[i];
        }
        return out;
    }
}
