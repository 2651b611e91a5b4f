package dev.gatehouse.rest.routes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GatewayRoutesTest {

    @Test
    void recommendedShardsRoundUpAndNeverDropBelowOne() {
        assertThat(GatewayRoutes.shards(0, 1000)).isEqualTo(1);
        assertThat(GatewayRoutes.shards(1, 1000)).isEqualTo(1);
        assertThat(GatewayRoutes.shards(1000, 1000)).isEqualTo(1);
        assertThat(GatewayRoutes.shards(1001, 1000)).isEqualTo(2);
        assertThat(GatewayRoutes.shards(2500, 1000)).isEqualTo(3);
        assertThat(GatewayRoutes.shards(3, 2)).isEqualTo(2);
    }
}
