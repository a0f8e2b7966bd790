package dev.pandaproxy.chamber;

import dev.pandaproxy.fanout.Subscription;
import java.util.Optional;

/** Camera frames for viewers outside the chamber protocol (the HTTP snapshot and MJPEG endpoints). */
public interface FrameFeed {
    /** A latest-only subscription; holding it counts as a viewer (it keeps an on-demand upstream connected). */
    Subscription<ChamberFrame> subscribe();

    /** The newest frame, while the printer connection is up and frames are current. */
    Optional<ChamberFrame> currentFrame();
}
