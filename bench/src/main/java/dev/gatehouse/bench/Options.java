package dev.gatehouse.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name value} options over defaults; an unknown name exits 2 with the known ones. */
public final class Options {

    private Options() {}

    public static Map<String, String> parse(String[] args, Map<String, String> defaults) {
        Map<String, String> opts = new LinkedHashMap<>(defaults);
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--") || !opts.containsKey(args[i].substring(2))) {
                System.err.println("unknown option " + args[i] + "; options: " + opts.keySet());
                System.exit(2);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        return opts;
    }
}
