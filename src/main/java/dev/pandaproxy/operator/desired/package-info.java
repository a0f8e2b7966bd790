/**
 * What the operator wants to exist for one {@code BambuPrinter}, as pure functions from the resource to
 * Kubernetes objects: no I/O, so they are tested as data and applied by one reconciler.
 */
package dev.pandaproxy.operator.desired;
