/**
 * The {@code BambuPrinter} custom resource: the Java model is the source of truth, and the CRD YAML in
 * {@code crds/} is generated from it by fabric8's crd-generator during the build.
 */
package dev.pandaproxy.operator.model;
