package dev.gatehouse.server;

import java.util.Locale;

/**
 * Cluster mode ({@code serve --cluster nats://...}): the NATS server the nodes share, this node's
 * name in the cluster, and what it serves.
 */
public record ClusterConfig(String natsUrl, String nodeName, Role role) {

    /** What a node serves: the HTTP API, the gateway (with voice), or both. */
    public enum Role {
        API, GATEWAY, ALL;

        public boolean servesApi() {
            return this != GATEWAY;
        }

        public boolean servesGateway() {
            return this != API;
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Role parse(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        }
    }
}
