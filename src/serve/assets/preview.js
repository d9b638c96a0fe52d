// mimeo preview: tabs for the editions, and live updates after each rebuild.
// The server says "rebuilt" over a WebSocket; the page fetches itself again,
// replaces the parts marked data-live, and reloads only the frames whose
// edition changed, putting each back where the reader had scrolled.
"use strict";

const TAB_KEY = "mimeo-preview-tabs";

function chosenTabs() {
  try { return JSON.parse(sessionStorage.getItem(TAB_KEY)) || {}; } catch { return {}; }
}

function showTab(section, viewId) {
  for (const button of section.querySelectorAll("[data-view]")) {
    const on = button.dataset.view === viewId;
    button.setAttribute("aria-selected", on ? "true" : "false");
    const view = document.getElementById(button.dataset.view);
    view.hidden = !on;
    const frame = view.querySelector("iframe");
    if (on && frame && frame.dataset.pending) reloadKeepingPlace(frame, frame.dataset.pending);
  }
  const tabs = chosenTabs();
  tabs[section.id] = viewId;
  sessionStorage.setItem(TAB_KEY, JSON.stringify(tabs));
}

function setUpTabs() {
  const tabs = chosenTabs();
  for (const section of document.querySelectorAll("section.source")) {
    const buttons = [...section.querySelectorAll("[data-view]")];
    if (buttons.length === 0) continue;
    const wanted = buttons.find((b) => b.dataset.view === tabs[section.id]) || buttons[0];
    showTab(section, wanted.dataset.view);
    for (const button of buttons) button.addEventListener("click", () => showTab(section, button.dataset.view));
  }
  for (const select of document.querySelectorAll("select[data-frame]")) {
    const frame = document.getElementById(select.dataset.frame);
    select.addEventListener("change", () => { frame.src = select.value + "?v=" + frame.dataset.version; });
    frame.addEventListener("load", () => {
      try {
        const here = frame.contentWindow.location.pathname;
        const option = [...select.options].find((o) => o.value === here);
        if (option) select.value = option.value;
      } catch { /* not readable: leave the choice as it is */ }
    });
  }
}

// Reload a frame at `version`, on the page the reader is reading, at the
// place they were (frames of this origin; the PDF viewer starts again at its top).
function reloadKeepingPlace(frame, version) {
  delete frame.dataset.pending;
  if (frame.dataset.version === version) return;
  let url = new URL(frame.src, location.href);
  let x = 0, y = 0;
  try {
    const win = frame.contentWindow;
    url = new URL(win.location.href);
    x = win.scrollX; y = win.scrollY;
  } catch { /* a viewer of another origin: reload from its top */ }
  url.searchParams.set("v", version);
  frame.addEventListener("load", () => {
    try { frame.contentWindow.scrollTo(x, y); } catch { /* nothing to restore */ }
  }, { once: true });
  frame.dataset.version = version;
  frame.src = url.pathname + url.search + url.hash;
}

// The views in front reload at once; the hidden ones a moment later, so
// that they do not slow the one being read (the PDF viewer is heavy), or
// as soon as their tab is chosen.
const HIDDEN_DELAY_MS = 300;

function reloadFrames(frames) {
  const hidden = (f) => f.frame.closest(".view").hidden;
  for (const f of frames.filter((f) => !hidden(f))) reloadKeepingPlace(f.frame, f.version);
  frames.filter(hidden).forEach((f, i) => {
    f.frame.dataset.pending = f.version;
    setTimeout(() => {
      if (f.frame.dataset.pending === f.version) reloadKeepingPlace(f.frame, f.version);
    }, HIDDEN_DELAY_MS * (i + 1));
  });
}

async function refresh() {
  const response = await fetch("/", { cache: "no-store" });
  const next = new DOMParser().parseFromString(await response.text(), "text/html");
  // Two rounds close together: an answer may arrive after a newer one.
  if (Number(next.body.dataset.round) <= Number(document.body.dataset.round)) return;
  if (next.body.dataset.shape !== document.body.dataset.shape) {
    location.reload();
    return;
  }
  for (const part of next.querySelectorAll("[data-live][id]")) {
    const mine = document.getElementById(part.id);
    if (mine && part.id !== "connection") mine.innerHTML = part.innerHTML;
  }
  const changed = [];
  for (const frame of next.querySelectorAll("iframe[id]")) {
    const mine = document.getElementById(frame.id);
    if (mine && mine.dataset.version !== frame.dataset.version) changed.push({ frame: mine, version: frame.dataset.version });
  }
  document.body.dataset.round = next.body.dataset.round;
  reloadFrames(changed);
}

function connect() {
  const badge = document.getElementById("connection");
  const socket = new WebSocket(`ws://${location.host}/live`);
  socket.addEventListener("open", () => { badge.textContent = "live"; badge.className = "connection"; });
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    if (String(message.round) !== document.body.dataset.round) refresh();
  });
  socket.addEventListener("close", () => {
    badge.textContent = "not connected: is mimeo serve still running?";
    badge.className = "connection lost";
    setTimeout(connect, 1000);
  });
}

setUpTabs();
connect();
