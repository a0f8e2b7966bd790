/**
 * The Kubernetes operator: informers turn events into printer keys, a work queue with per-key backoff feeds the
 * reconciler, which applies the desired objects (server-side apply, one field manager) and writes status only when
 * it changed. Leader election keeps two replicas from both acting.
 */
package dev.pandaproxy.operator;
