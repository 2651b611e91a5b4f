package dev.gatehouse.core.form;

/** Parsing of the decimal strings ids and permission bit sets travel as. */
public final class Decimals {

    private Decimals() {}

    /**
     * A non-negative long written in plain ASCII digits, or null for anything else: signs, spaces,
     * empty strings and values beyond {@link Long#MAX_VALUE} (which must be a field error, not a 500).
     */
    public static Long parseNonNegativeLong(String s) {
        if (s == null || s.isEmpty() || s.length() > 19) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException overflow) {
            return null;
        }
    }
}
