package dev.gatehouse.server;

import java.util.Locale;

/**
 * Cluster mode ({@code serve --cluster nats://...}): the NATS server the nodes share, this node's
 * name in the cluster, what it serves, the Redis its limits are counted in (null: each node counts
 * its own), and the cluster's name, which keeps its keys in that Redis apart from another's.
 */
public record ClusterConfig(String natsUrl, String nodeName, Role role, String redisUrl, String clusterName) {

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
