package dev.gatehouse.gateway.hub;

/**
 * A payload whose newer instances replace older ones still waiting in a session's buffer (fluxer
 * pending presences): two with equal keys are about the same thing.
 */
public interface Coalescable {

    Object coalesceKey();
}
