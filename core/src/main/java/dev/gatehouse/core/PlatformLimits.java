package dev.gatehouse.core;

/**
 * Operator-tunable limits of the platform (the wire-contract limits are fixed and live with the
 * code that enforces them).
 *
 * @param maxGuildsPerUser guilds a user may be a member of (Discord: 100)
 * @param sessionStartsPerDay gateway identifies per bot per 24 h (Discord: 1,000)
 * @param maxConcurrency identifies per 5 s per bot, one per bucket {@code shard_id % max_concurrency}
 * @param guildsPerShard guilds one shard may hold before 4011 Sharding required (Discord: 2,500)
 * @param recommendedGuildsPerShard guilds per shard {@code GET /gateway/bot} recommends (Discord: 1,000)
 */
public record PlatformLimits(
        int maxGuildsPerUser,
        int sessionStartsPerDay,
        int maxConcurrency,
        int guildsPerShard,
        int recommendedGuildsPerShard) {

    public static PlatformLimits defaults() {
        return new PlatformLimits(100, 1000, 1, 2500, 1000);
    }
}
