/**
 * The printer's camera kind (chamber JPEG stream on 6000, or RTSPS on 322), found by probing, and the
 * RTSPS camera: ffmpeg pulls the printer's stream once, MediaMTX serves it to any number of clients.
 */
package dev.pandaproxy.rtsp;
