// The page's behaviour: live state from server-sent events (/page/events), the camera, the doctor button.
// Text from the printer or clients is only ever set as textContent, never parsed as markup.
"use strict";

const $ = (id) => document.getElementById(id);
// resolved against the origin, not the page's address: that may carry user:password@, which fetch() refuses
const url = (path) => new URL(path, location.origin + "/").href;

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function since(iso) {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (seconds < 90) return seconds + " s";
  if (seconds < 5400) return Math.round(seconds / 60) + " min";
  if (seconds < 172800) return Math.round(seconds / 3600) + " h";
  return Math.round(seconds / 86400) + " days";
}

function temperature(t) {
  return t.current.toFixed(1) + " °C" + (t.target > 0 ? " → " + t.target.toFixed(0) + " °C" : "");
}

function minutes(total) {
  return total >= 60 ? Math.floor(total / 60) + " h " + (total % 60) + " min" : total + " min";
}

let cameraShown = "";

function showCamera(camera, host) {
  const type = camera ? camera.type : "none";
  if (type === cameraShown) return;
  cameraShown = type;
  const box = $("camera-box");
  box.replaceChildren();
  if (type === "chamber") {
    const img = element("img");
    img.id = "camera";
    img.alt = "The printer's camera, live";
    img.src = "camera/stream.mjpeg";
    box.append(img);
  } else if (type === "rtsp") {
    const video = element("video");
    video.id = "camera";
    video.muted = true;
    video.autoplay = true;
    video.playsInline = true;
    video.controls = true;
    video.setAttribute("aria-label", "The printer's camera, live");
    box.append(video);
    playHls(video, host);
  } else {
    box.append(element("p", "The camera is off: " + (camera ? camera.detail : "the camera service is not enabled") + "."));
  }
}

function playHls(video, host) {
  const source = url("page/hls/index.m3u8");
  if (video.canPlayType("application/vnd.apple.mpegurl")) {
    video.src = source; // Safari plays HLS itself
    return;
  }
  const script = element("script");
  script.src = "page/hls.light.min.js";
  script.onload = () => {
    if (!window.Hls || !window.Hls.isSupported()) {
      rtspNote(video, host, "This browser cannot play HLS.");
      return;
    }
    const hls = new window.Hls({ enableWorker: false, lowLatencyMode: true });
    hls.on(window.Hls.Events.ERROR, (event, data) => {
      if (data.fatal) rtspNote(video, host, "The stream stopped (" + data.details + ").");
    });
    hls.loadSource(source);
    hls.attachMedia(video);
  };
  document.head.append(script);
}

function rtspNote(video, host, why) {
  const note = element("p", why + " Watch it with an RTSP player (VLC, ffplay) at rtsps://" + host
      + ":322/streaming/live/1 (user bblp, the access code).");
  video.after(note);
}

function showPrinter(view) {
  const known = view && view.known;
  $("no-printer").hidden = !!known;
  $("job-facts").hidden = !known;
  if (!known) return;
  $("state").textContent = view.state;
  $("job").textContent = view.job || "—";
  $("progress").value = view.progress;
  $("progress-text").textContent = view.progress + " %";
  $("remaining").textContent = minutes(view.remaining);
  $("layer").textContent = view.layers > 0 ? view.layer + " / " + view.layers : "—";
  $("nozzle").textContent = temperature(view.nozzle);
  $("bed").textContent = temperature(view.bed);
  $("chamber").textContent = view.chamber == null ? "not reported" : view.chamber.toFixed(1) + " °C";
  $("lights").textContent = view.lights.length === 0 ? "—"
      : view.lights.map((light) => light.node.replace(/_/g, " ") + " " + (light.on ? "on" : "off")).join(", ");

  const ams = $("ams");
  ams.replaceChildren();
  if (view.ams.length === 0) ams.append(element("p", "No AMS reported."));
  for (const unit of view.ams) {
    ams.append(element("p", "Unit " + (Number(unit.id) + 1) + (unit.humidity ? ", humidity level " + unit.humidity : "")));
    const trays = element("ul", undefined, "trays");
    for (const tray of unit.trays) {
      const item = element("li");
      const swatch = element("span", undefined, "swatch");
      if (tray.colour) swatch.style.backgroundColor = tray.colour;
      swatch.setAttribute("aria-hidden", "true");
      item.append(swatch, element("span", (Number(tray.id) + 1) + ": " + (tray.type || "empty")
          + (tray.colour ? " " + tray.colour : "") + (tray.remain >= 0 ? ", " + tray.remain + " %" : "")));
      trays.append(item);
    }
    ams.append(trays);
  }

  const errors = $("errors");
  errors.replaceChildren();
  if (view.errors.length === 0 && view.printError === 0) errors.append(element("li", "None."));
  for (const hms of view.errors) {
    const item = element("li");
    const link = element("a", "HMS " + hms.code, "bad");
    link.href = hms.wiki;
    link.rel = "noreferrer";
    link.target = "_blank";
    item.append(link, document.createTextNode(" (Bambu wiki)"));
    errors.append(item);
  }
  if (view.printError !== 0) errors.append(element("li", "Print error " + view.printError, "bad"));
}

function showProxy(status) {
  $("printer-name").textContent = status.printer.serial + " at " + status.printer.host + " · PandaProxy " + status.version;
  $("fingerprint").textContent = status.caFingerprint;
  $("serial").textContent = status.printer.serial;
  const host = location.hostname;
  $("address").textContent = host;
  showCamera(status.camera, host);

  const ports = $("ports");
  ports.replaceChildren();
  const services = $("services");
  services.replaceChildren();
  for (const service of status.services) {
    ports.append(element("li", service.service + ": " + service.listen));
    const box = element("div", undefined, "service");
    box.append(element("h3", service.service + " · " + service.clients + (service.clients === 1 ? " client" : " clients")));
    if (service.upstream) {
      const up = service.upstream;
      const state = up.state.toLowerCase();
      const line = element("p");
      line.append(element("span", "Printer " + state, state === "connected" || state === "idle" ? "ok" : "warn"),
          document.createTextNode(" for " + since(up.since) + " (" + up.target + ")"));
      box.append(line);
      if (up.lastError) box.append(element("p", "Last error: " + up.lastError, "bad"));
    }
    if (service.connected.length > 0) {
      const list = element("ul");
      for (const client of service.connected) {
        list.append(element("li", client.address + (client.clientId ? " (" + client.clientId + ")" : "")
            + ", for " + since(client.since)));
      }
      box.append(list);
    }
    const counters = element("details");
    counters.append(element("summary", "Counters"));
    const table = element("table");
    for (const [name, value] of Object.entries(service.counters)) {
      const row = element("tr");
      row.append(element("td", name.replace(/_/g, " ")), element("td", String(value)));
      table.append(row);
    }
    counters.append(table);
    box.append(counters);
    services.append(box);
  }
}

function connect() {
  const events = new EventSource(url("page/events"));
  const link = $("link");
  events.onopen = () => { link.textContent = "live"; link.className = "badge ok"; };
  events.onerror = () => { link.textContent = "reconnecting"; link.className = "badge warn"; };
  events.addEventListener("printer", (event) => showPrinter(JSON.parse(event.data)));
  events.addEventListener("proxy", (event) => showProxy(JSON.parse(event.data)));
}

async function runDoctor() {
  const button = $("doctor");
  const results = $("doctor-results");
  button.disabled = true;
  results.replaceChildren(element("li", "Running…"));
  try {
    const response = await fetch(url("page/doctor"), { method: "POST" });
    if (!response.ok) throw new Error(await response.text());
    results.replaceChildren();
    for (const result of await response.json()) {
      const item = element("li");
      item.dataset.status = result.status;
      item.append(element("strong", result.status + " ", result.status === "OK" ? "ok" : result.status === "FAIL" ? "bad" : "warn"),
          document.createTextNode(result.check + ": " + result.detail));
      results.append(item);
    }
  } catch (error) {
    results.replaceChildren(element("li", "The checks could not run: " + error.message, "bad"));
  } finally {
    button.disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("doctor").addEventListener("click", runDoctor);
  connect();
});
