package dev.gatehouse.protocol.gateway;

import java.util.Optional;

/** How gateway payloads are written: JSON text frames, or Erlang external term format binary frames. */
public enum Encoding {
    JSON,
    ETF;

    /** The encoding a query value names (absent means JSON); empty for one no dialect serves. */
    public static Optional<Encoding> ofQuery(String value) {
        if (value == null || value.isEmpty() || value.equals("json")) {
            return Optional.of(JSON);
        }
        return value.equals("etf") ? Optional.of(ETF) : Optional.empty();
    }
}
