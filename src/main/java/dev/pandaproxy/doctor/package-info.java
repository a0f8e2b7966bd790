/** {@code pandaproxy doctor}: checks an installation the way slicers and other clients use it. */
package dev.pandaproxy.doctor;
