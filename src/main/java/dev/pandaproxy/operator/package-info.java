/**
 * The Kubernetes operator, in the shape of a level-based controller:
 *
 * <ol>
 *   <li><b>Events.</b> Informers follow the BambuPrinters, the objects the operator owns (Deployments, ConfigMaps,
 *       Services, Secrets, found by owner reference), the Secrets a printer names and its proxy pods
 *       ({@link PrinterController}). The slow probes are event sources too: a camera probe
 *       that finished ({@link CameraProbes}) and a proxy pod whose {@code /status} answer
 *       changed ({@link ProxyReports}) each queue their printer.
 *   <li><b>Queue.</b> Printer keys ({@code namespace/name}), each at most once and never reconciled twice at once,
 *       with per-key backoff; an event brings a waiting key forward ({@link WorkQueue}).
 *   <li><b>Observe.</b> One {@link Observed} per key, built from the informers' caches and
 *       the probes' last results ({@link Observer}): nothing is read from the API server or
 *       the network while a printer is reconciled.
 *   <li><b>Desire.</b> Pure functions of the spec and what was observed: the objects a printer needs
 *       ({@link dev.pandaproxy.operator.desired}) and its camera ({@link CameraChoice}).
 *   <li><b>Apply.</b> Each object that differs from its observed live one is written with server-side apply under
 *       one field manager, owned by its printer ({@link Applier}); a probe that is needed is
 *       started, and the proxy pod's address is handed to the reports.
 *   <li><b>Status.</b> A pure function of the printer, what was observed and what was applied
 *       ({@link PrinterStatus}), written only when it changed, guarded by the observed
 *       resourceVersion (a cache that lagged behind makes the write fail, and the key is looked at again).
 * </ol>
 *
 * <p>Leader election keeps two replicas from both acting; the installation's one CA lives in a Secret of the
 * operator's namespace that every printer's certificate is issued from ({@link InstallationCa}).
 */
package dev.pandaproxy.operator;
