// The reader (a Telegram Mini App): the speech with its outline, search with the matches marked
// in place, bookmarks shared with /saved, the reading plan's passage of the day, the place where
// the member stopped. No framework; every word of the interface comes from the bot's catalogs.
//
// Who is reading: Telegram's signed initData, from Telegram.WebApp when telegram-web-app.js is
// there, else from the URL fragment (#tgWebAppData=…), so the page works without Telegram's
// script too (local trials, tests). The server checks the signature on every call.

// Which text (a library id; 1 is the original speech): ?text=N, or a direct link's start parameter
// (t2s4-2: text 2 at 四（二）; s4-2, from before the library, the original's), else the member's
// current text ("current"). The first answer names it; every later call asks for that one.
const query = new URLSearchParams(location.search);
let API = "";
const launch = new URLSearchParams(location.hash.slice(1));
const $ = (id) => document.getElementById(id);

const state = {
  ui: {},
  blocks: [], // [node, tag, text, at]
  elements: [], // the element of each block, same order
  saved: [],
  hits: [],
  current: -1,
  plan: null,
  lastAt: null,
};

let tg = window.Telegram && window.Telegram.WebApp;

function initData() {
  return (tg && tg.initData) || launch.get("tgWebAppData") || "";
}

function startParam() {
  const fromTelegram = tg && tg.initDataUnsafe && tg.initDataUnsafe.start_param;
  if (fromTelegram) return fromTelegram;
  const data = new URLSearchParams(launch.get("tgWebAppData") || "");
  return data.get("start_param") || launch.get("tgWebAppStartParam") || "";
}

// A direct link's text and node: startapp=t2s4-2 is text 2 at 4.2; s4-2 the original's 4.2.
function launchTarget() {
  const match = /^(?:t(\d{1,9}))?(?:s([\w-]+))?$/.exec(startParam()) || [];
  return { text: match[1] || (match[2] ? "1" : ""), node: match[2] ? match[2].replace(/-/g, ".") : "" };
}

function textAsked() {
  return query.get("text") || (query.get("node") ? "1" : "") || launchTarget().text || "current";
}

// Telegram's script, only inside Telegram (the fragment names the platform): outside it the page
// needs nothing from the network but its own origin.
function loadTelegram() {
  if (tg || !launch.has("tgWebAppPlatform")) return Promise.resolve();
  return new Promise((resolve) => {
    const script = document.createElement("script");
    script.src = "https://telegram.org/js/telegram-web-app.js";
    script.onload = () => { tg = window.Telegram && window.Telegram.WebApp; resolve(); };
    script.onerror = () => resolve();
    document.head.append(script);
  });
}

// --- theme ------------------------------------------------------------------------------------

const THEME_KEYS = {
  bg_color: "--tg-bg", text_color: "--tg-text", hint_color: "--tg-hint", link_color: "--tg-link",
  button_color: "--tg-button", button_text_color: "--tg-button-text", secondary_bg_color: "--tg-panel",
};

function luminance(hex) {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex || "");
  if (!m) return null;
  const n = parseInt(m[1], 16);
  return (0.299 * (n >> 16) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)) / 255;
}

function applyTheme(params, scheme) {
  const root = document.documentElement;
  for (const [key, variable] of Object.entries(THEME_KEYS)) {
    const value = params && params[key];
    if (value && /^#[0-9a-f]{3,8}$/i.test(value)) root.style.setProperty(variable, value);
    else root.style.removeProperty(variable);
  }
  const light = luminance(params && params.bg_color);
  const mode = scheme || (light === null ? "" : light < 0.5 ? "dark" : "light");
  if (mode) root.dataset.theme = mode; else delete root.dataset.theme;
}

function themeFromLaunch() {
  try {
    return JSON.parse(launch.get("tgWebAppThemeParams") || "null");
  } catch {
    return null;
  }
}

// --- talking to the bot -------------------------------------------------------------------------

class Refused extends Error {}

async function api(path, options = {}) {
  const init = { method: options.method || "GET", headers: { "X-Telegram-Init-Data": initData() } };
  if (options.body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.body);
  }
  if (options.keepalive) init.keepalive = true;
  const response = await fetch(API + path, init);
  if (response.status === 401) throw new Refused("unauthorized");
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

function word(key, values = {}) {
  return (state.ui[key] || key).replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

let toastTimer = 0;
function toast(message) {
  const box = $("toast");
  box.textContent = message;
  box.classList.add("on");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => box.classList.remove("on"), 2600);
}

function failed(error) {
  if (error instanceof Refused) notice(word("offline"));
  else toast(word("error"));
}

function notice(message) {
  const box = $("notice");
  box.textContent = message;
  box.hidden = false;
}

// --- the interface words ------------------------------------------------------------------------

function translate(ui, lang) {
  state.ui = ui;
  $("chrome").lang = lang === "en" ? "en" : "zh-CN";
  for (const element of document.querySelectorAll("[data-ui]")) element.textContent = word(element.dataset.ui);
  for (const element of document.querySelectorAll("[data-ui-label]")) {
    // The name starts with what the button shows (A−), so speech input can say what it sees.
    element.setAttribute("aria-label", `${element.textContent.trim()} ${word(element.dataset.uiLabel)}`);
  }
  for (const element of document.querySelectorAll("[data-ui-placeholder]")) {
    element.placeholder = word(element.dataset.uiPlaceholder);
  }
  document.title = word("title");
}

// --- the text -------------------------------------------------------------------------------------

function headingLabel(node) {
  const block = state.blocks.find((b) => b[0] === node && b[1] !== "p");
  return block ? block[2] : node;
}

function saveButton(node) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "save";
  button.dataset.ref = `n:${node}`;
  button.addEventListener("click", () => toggleSaved(button.dataset.ref));
  return button;
}

function sendButton(node) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "send";
  button.textContent = "↗";
  button.setAttribute("aria-label", `↗ ${word("send")}: ${headingLabel(node)}`);
  button.addEventListener("click", () => {
    try {
      tg.switchInlineQuery(headingLabel(node).slice(0, 60), ["users", "groups"]);
    } catch {
      toast(word("error"));
    }
  });
  return button;
}

function renderText(title) {
  const article = $("text");
  $("title").textContent = title;
  const canSend = Boolean(tg && tg.switchInlineQuery && tg.isVersionAtLeast && tg.isVersionAtLeast("6.7"));
  const fragment = document.createDocumentFragment();
  state.elements = state.blocks.map(([node, tag, text, at]) => {
    const element = document.createElement(tag);
    element.textContent = text;
    element.dataset.node = node;
    element.dataset.at = String(at);
    element.className = "block-here";
    if (tag === "p") {
      fragment.append(element);
      return element;
    }
    element.id = `n-${node}`;
    const head = document.createElement("div");
    head.className = "head";
    head.append(element, saveButton(node));
    if (canSend) head.append(sendButton(node));
    fragment.append(head);
    return element;
  });
  article.append(fragment);
}

function markSaved() {
  const refs = new Set(state.saved.map((item) => item.ref));
  for (const button of document.querySelectorAll("button.save")) {
    const on = refs.has(button.dataset.ref);
    button.textContent = word(on ? "saved" : "save");
    button.setAttribute("aria-pressed", on ? "true" : "false");
    const node = button.dataset.ref.slice(2);
    button.setAttribute("aria-label", `${word(on ? "saved" : "save")}: ${headingLabel(node)}`);
  }
  const list = $("saved-items");
  list.replaceChildren();
  for (const item of state.saved) {
    const li = document.createElement("li");
    const go = document.createElement("button");
    go.type = "button";
    go.className = "saved-item";
    const label = document.createElement("b");
    label.textContent = item.label;
    go.append(label, " ", item.text);
    go.addEventListener("click", () => scrollToAt(item.at));
    li.append(go);
    list.append(li);
  }
  $("saved-count").textContent = `(${state.saved.length})`;
  $("saved").hidden = false;
  if (!state.saved.length) {
    const li = document.createElement("li");
    li.textContent = word("saved_none");
    list.append(li);
  }
}

async function toggleSaved(ref) {
  const on = !state.saved.some((item) => item.ref === ref);
  try {
    const answer = await api(`/bookmarks/${encodeURIComponent(ref)}`, { method: on ? "PUT" : "DELETE" });
    state.saved = answer.saved;
    markSaved();
    toast(word(on ? "saved" : "save"));
  } catch (error) {
    failed(error);
  }
}

// --- where the reader is --------------------------------------------------------------------

function headerHeight() {
  if (document.documentElement.classList.contains("tall-bar")) return 0; // it scrolls with the page
  return $("chrome").getBoundingClientRect().height;
}

function blockIndexAt(at) {
  let best = -1;
  state.blocks.forEach(([, , , start], index) => {
    if (start >= 0 && start <= at) best = index;
  });
  return best;
}

function scrollToElement(element, center = false) {
  if (!element) return;
  const target = element.closest(".head") || element;
  const top = target.getBoundingClientRect().top + window.scrollY - headerHeight() - 8;
  window.scrollTo({ top: center ? top - window.innerHeight / 3 : top, behavior: "instant" });
}

function scrollToAt(at) {
  scrollToElement(state.elements[blockIndexAt(at)]);
  closeOutline();
}

function scrollToNode(node) {
  const element = document.getElementById(`n-${node}`);
  scrollToElement(element);
  closeOutline();
}

function topBlockAt() {
  const limit = headerHeight() + 4;
  for (let i = 0; i < state.elements.length; i += 1) {
    const at = state.blocks[i][3];
    if (at < 0) continue;
    if (state.elements[i].getBoundingClientRect().bottom > limit) return at;
  }
  return null;
}

let placeTimer = 0;
function rememberPlace(now = false) {
  clearTimeout(placeTimer);
  const save = () => {
    const at = topBlockAt();
    if (at === null || at === state.lastAt) return;
    state.lastAt = at;
    api("/position", { method: "PUT", body: { at }, keepalive: now }).catch(() => {});
  };
  if (now) save(); else placeTimer = setTimeout(save, 1200);
}

// --- the outline ------------------------------------------------------------------------------

function tocEntry(entry) {
  const li = document.createElement("li");
  const row = document.createElement("div");
  row.className = "toc-row";
  const go = document.createElement("button");
  go.type = "button";
  go.className = "go";
  go.textContent = entry.title;
  go.dataset.node = entry.id;
  if (entry.gloss) {
    const gloss = document.createElement("span");
    gloss.className = "gloss";
    gloss.lang = "en";
    gloss.textContent = entry.gloss;
    go.append(gloss);
  }
  go.addEventListener("click", () => scrollToNode(entry.id));
  row.append(go);
  li.append(row);
  if (entry.children) {
    const list = document.createElement("ul");
    list.hidden = true;
    list.id = `toc-${entry.id}`;
    const toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "toggle";
    toggle.textContent = "▸";
    toggle.setAttribute("aria-expanded", "false");
    toggle.setAttribute("aria-controls", list.id);
    toggle.setAttribute("aria-label", entry.title);
    toggle.addEventListener("click", () => {
      list.hidden = !list.hidden;
      toggle.setAttribute("aria-expanded", list.hidden ? "false" : "true");
      toggle.textContent = list.hidden ? "▸" : "▾";
    });
    row.append(toggle);
    for (const child of entry.children) list.append(tocEntry(child));
    li.append(list);
  }
  return li;
}

function openOutline() {
  $("outline").hidden = false;
  $("menu").setAttribute("aria-expanded", "true");
  const first = $("toc").querySelector("button");
  if (first) first.focus();
}

function closeOutline() {
  if ($("outline").hidden) return;
  $("outline").hidden = true;
  $("menu").setAttribute("aria-expanded", "false");
}

// --- search ---------------------------------------------------------------------------------------

function clearMarks() {
  state.elements.forEach((element, index) => {
    if (element.querySelector("mark")) element.textContent = state.blocks[index][2];
  });
}

function markRanges(ranges) {
  // ranges: [start, end, hitIndex] in document offsets; each block rebuilt once.
  state.elements.forEach((element, index) => {
    const [, , text, at] = state.blocks[index];
    if (at < 0) return;
    const end = at + text.length;
    const inside = ranges.filter(([a, b]) => a < end && b > at).sort((x, y) => x[0] - y[0]);
    if (!inside.length) return;
    const parts = [];
    let cursor = 0;
    for (const [a, b, hit] of inside) {
      const from = Math.max(a - at, cursor);
      const to = Math.min(b - at, text.length);
      if (to <= from) continue;
      parts.push(text.slice(cursor, from));
      const mark = document.createElement("mark");
      mark.dataset.hit = String(hit);
      mark.textContent = text.slice(from, to);
      parts.push(mark);
      cursor = to;
    }
    parts.push(text.slice(cursor));
    element.replaceChildren(...parts);
  });
}

// The list of hits opens with a search; going to a hit folds it, so the text has the screen and
// the hit bar (上一处/下一处, sticky) stays in reach. 列表 opens it again.
function showList(open) {
  $("results").hidden = !open;
  $("list").setAttribute("aria-expanded", open ? "true" : "false");
  if (open && document.documentElement.classList.contains("tall-bar")) window.scrollTo({ top: 0, behavior: "instant" });
  fitBar();
}

function goToHit(index) {
  showList(false);
  showHit(index);
}

function showHit(index) {
  if (!state.hits.length) return;
  state.current = (index + state.hits.length) % state.hits.length;
  for (const mark of document.querySelectorAll("mark.current")) mark.classList.remove("current");
  const marks = document.querySelectorAll(`mark[data-hit="${state.current}"]`);
  marks.forEach((mark) => mark.classList.add("current"));
  const hit = state.hits[state.current];
  $("hitpos").textContent = `${word("hit_of", { n: state.current + 1, total: state.hits.length })} · ${hit.label}`;
  if (marks.length) scrollToElement(marks[0], true);
  else scrollToAt(hit.range[0]);
}

function renderHits(hits) {
  const box = $("hits");
  box.replaceChildren();
  if (!hits.length) {
    const none = document.createElement("p");
    none.textContent = word("search_none");
    box.append(none);
    return;
  }
  let list = null;
  let tier = "";
  hits.forEach((hit, index) => {
    if (hit.tier !== tier) {
      tier = hit.tier;
      const title = document.createElement("p");
      title.className = "tier";
      title.textContent = word(tier);
      list = document.createElement("ul");
      box.append(title, list);
    }
    const li = document.createElement("li");
    const go = document.createElement("button");
    go.type = "button";
    go.className = "hit";
    go.dataset.tier = hit.tier;
    const label = document.createElement("b");
    label.textContent = hit.label;
    go.append(label, " ", hit.text.length > 80 ? `${hit.text.slice(0, 79)}…` : hit.text);
    go.addEventListener("click", () => goToHit(index));
    li.append(go);
    list.append(li);
  });
}

async function search(query) {
  query = query.trim();
  if (!query) return;
  try {
    const answer = await api(`/search?q=${encodeURIComponent(query)}`);
    clearMarks();
    state.hits = answer.hits;
    state.current = -1;
    markRanges(answer.hits.flatMap((hit, index) => hit.marks.map(([a, b]) => [a, b, index])));
    renderHits(answer.hits);
    $("hitbar").hidden = !answer.hits.length;
    showList(true);
    if (answer.hits.length) showHit(0);
  } catch (error) {
    failed(error);
  }
}

function clearSearch() {
  clearMarks();
  state.hits = [];
  $("hitbar").hidden = true;
  showList(false);
  $("q").value = "";
}

// --- the plan --------------------------------------------------------------------------------------

function renderPlan(plan) {
  state.plan = plan;
  $("plan").hidden = !plan;
  if (!plan) return;
  $("plan-title").textContent = word("plan", plan);
  const go = $("plan-go");
  go.textContent = plan.labels;
  go.onclick = () => scrollToAt(plan.at);
  const done = $("plan-done");
  done.textContent = word(plan.done ? "done_already" : "done");
  done.disabled = Boolean(plan.done);
}

async function markDone() {
  if (!state.plan) return;
  try {
    const answer = await api("/plan/done", { method: "POST", body: { day: state.plan.day } });
    toast(answer.message);
    renderPlan({ ...state.plan, done: true });
  } catch (error) {
    failed(error);
  }
}

// --- font size --------------------------------------------------------------------------------------

const SIZES = [0.875, 1, 1.0625, 1.1875, 1.375, 1.625, 2];

function fontSize(step) {
  let stored = "1.0625";
  try {
    stored = localStorage.getItem("reader-fs") || stored;
  } catch {
    /* storage refused: the default size */
  }
  let index = SIZES.indexOf(Number(stored));
  if (index < 0) index = 2;
  index = Math.max(0, Math.min(SIZES.length - 1, index + step));
  const at = topBlockAt();
  document.documentElement.style.setProperty("--fs", `${SIZES[index]}rem`);
  try {
    localStorage.setItem("reader-fs", String(SIZES[index]));
  } catch {
    /* private mode: the size lasts for this visit */
  }
  if (step && at !== null) scrollToAt(at);
}

// --- start --------------------------------------------------------------------------------------------

// At large text sizes the bar would take much of a phone's screen: then it scrolls away with the
// page, and the hit bar moves to the bottom of the screen. The list of hits does not count: it
// folds as soon as a hit is chosen.
function fitBar() {
  const hitbar = $("hitbar");
  const height = document.querySelector(".bar").offsetHeight + (hitbar.hidden ? 0 : hitbar.offsetHeight);
  document.documentElement.classList.toggle("tall-bar", height > window.innerHeight * 0.25);
}

function wire() {
  $("menu").addEventListener("click", () => ($("outline").hidden ? openOutline() : closeOutline()));
  $("close").addEventListener("click", () => { closeOutline(); $("menu").focus(); });
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") closeOutline(); });
  $("search").addEventListener("submit", (event) => { event.preventDefault(); search($("q").value); });
  $("prev").addEventListener("click", () => goToHit(state.current - 1));
  $("next").addEventListener("click", () => goToHit(state.current + 1));
  $("list").addEventListener("click", () => showList($("results").hidden));
  $("clear").addEventListener("click", clearSearch);
  $("smaller").addEventListener("click", () => fontSize(-1));
  $("larger").addEventListener("click", () => fontSize(1));
  $("plan-done").addEventListener("click", markDone);
  document.querySelector(".skip").addEventListener("click", (event) => {
    event.preventDefault(); // the fragment carries Telegram's launch data: never replace it
    $("text").focus();
  });
  window.addEventListener("scroll", () => rememberPlace(), { passive: true });
  window.addEventListener("resize", fitBar);
  if (window.ResizeObserver) new ResizeObserver(fitBar).observe($("chrome"));
  document.addEventListener("visibilitychange", () => { if (document.hidden) rememberPlace(true); });
  window.addEventListener("pagehide", () => rememberPlace(true));
}

function opening(first) {
  const wanted = query.get("node") || launchTarget().node; // ?node=4.2, or startapp=s4-2: 四（二）
  // The page's node ids are scoped by their text (2:4.2) but the original's.
  const node = wanted && !wanted.includes(":") && first.text !== "1" ? `${first.text}:${wanted}` : wanted;
  if (node && document.getElementById(`n-${node}`)) return scrollToNode(node);
  if (first.position) scrollToAt(first.position.at);
}

async function main() {
  fontSize(0);
  wire();
  await loadTelegram();
  if (tg) {
    tg.ready();
    if (tg.expand) tg.expand();
    applyTheme(tg.themeParams, tg.colorScheme);
    tg.onEvent("themeChanged", () => applyTheme(tg.themeParams, tg.colorScheme));
  } else {
    applyTheme(themeFromLaunch(), null);
  }
  if (!initData()) {
    notice("请从 Telegram 中打开阅读器。 Open the reader from Telegram.");
    return;
  }
  try {
    API = `/api/texts/${encodeURIComponent(textAsked())}`;
    const first = await api("/start");
    API = `/api/texts/${encodeURIComponent(first.text)}`; // "current" resolved: the same text from now on
    translate(first.ui, first.lang);
    state.blocks = first.blocks;
    state.saved = first.saved;
    renderText(first.title);
    const toc = $("toc");
    for (const entry of first.outline) toc.append(tocEntry(entry));
    if (first.stored) markSaved();
    else for (const button of document.querySelectorAll("button.save")) button.remove();
    renderPlan(first.plan);
    opening(first);
    state.lastAt = topBlockAt();
    document.documentElement.dataset.ready = "1";
    performance.mark("reader-ready"); // the text is on screen: what benchmarks/reader.py times
  } catch (error) {
    failed(error);
    document.documentElement.dataset.ready = "0";
  }
}

main();
