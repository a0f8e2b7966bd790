package dev.pandaproxy.operator;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.List;
import java.util.Optional;

/**
 * Why a proxy pod does not run, read from its status as a pure function, with what to do about it: the printer's
 * {@code Ready} condition says this instead of only "waiting for the proxy pod".
 *
 * @param reason  the condition's reason (CamelCase)
 * @param message what happened and what to do
 */
record PodTrouble(String reason, String message) {
    /** Scheduler and kubelet messages are repeated in the condition; they stay short. */
    private static final int MAX_DETAIL = 300;

    static Optional<PodTrouble> of(Pod pod) {
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        String name = pod.getMetadata().getName();
        for (PodCondition condition : list(pod.getStatus().getConditions())) {
            if (condition.getType().equals("PodScheduled")
                    && condition.getStatus().equals("False")
                    && "Unschedulable".equals(condition.getReason())) {
                String detail = detail(condition.getMessage());
                if (detail.contains("free ports")) {
                    return Optional.of(new PodTrouble(
                            "PortConflict",
                            "pod " + name + " cannot be scheduled: " + detail
                                    + ". Another pod on the node (often another printer's proxy) holds the printer's ports: give each "
                                    + "printer its own node address (spec.network.hostIP), use spec.network.mode LoadBalancer, or "
                                    + "put the printers on different nodes (spec.nodeSelector)"));
                }
                return Optional.of(
                        new PodTrouble(
                                "Unschedulable",
                                "pod " + name + " cannot be scheduled: " + detail
                                        + ". Check spec.nodeSelector, spec.tolerations, spec.affinity and the nodes' free resources"));
            }
        }
        for (ContainerStatus container : list(pod.getStatus().getContainerStatuses())) {
            if (container.getState() == null || container.getState().getWaiting() == null) {
                continue;
            }
            String waiting = String.valueOf(container.getState().getWaiting().getReason());
            String detail = detail(container.getState().getWaiting().getMessage());
            switch (waiting) {
                case "ImagePullBackOff", "ErrImagePull", "InvalidImageName" -> {
                    return Optional.of(
                            new PodTrouble(
                                    "ImagePullFailed",
                                    "container " + container.getName() + " of pod " + name
                                            + " cannot pull image " + container.getImage() + ": " + detail
                                            + ". Check the operator's image settings (proxyImage, mediamtxImage) and the registry credentials"));
                }
                case "CrashLoopBackOff" -> {
                    return Optional.of(new PodTrouble(
                            "ProxyCrashLooping",
                            "container " + container.getName() + " of pod " + name
                                    + " keeps exiting" + lastExit(container) + ". Its log says why: kubectl logs -n "
                                    + pod.getMetadata().getNamespace() + " " + name + " -c " + container.getName()
                                    + " --previous"));
                }
                case "CreateContainerConfigError" -> {
                    return Optional.of(new PodTrouble(
                            "ProxyConfigError",
                            "container " + container.getName() + " of pod " + name + " cannot be created: " + detail));
                }
                default -> {
                    // ContainerCreating and the like: still starting
                }
            }
        }
        return Optional.empty();
    }

    private static String lastExit(ContainerStatus container) {
        if (container.getLastState() == null || container.getLastState().getTerminated() == null) {
            return "";
        }
        var terminated = container.getLastState().getTerminated();
        return " (last exit: code " + terminated.getExitCode()
                + (terminated.getReason() == null ? "" : ", " + terminated.getReason()) + ")";
    }

    private static String detail(String message) {
        if (message == null || message.isBlank()) {
            return "no detail given";
        }
        String oneLine = message.strip().replaceAll("[\\r\\n]+", " ");
        return oneLine.length() <= MAX_DETAIL ? oneLine : oneLine.substring(0, MAX_DETAIL) + "…";
    }

    private static <T> List<T> list(List<T> items) {
        return items == null ? List.of() : items;
    }
}
