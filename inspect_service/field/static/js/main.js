// The field app: router, tabs, the sync pill, and start-up (service worker, local state, first sync).

import { kv } from "./db.js";
import { ctx, isEnterprise, load } from "./context.js";
import * as photos from "./photos.js";
import * as store from "./store.js";
import { ledger, start, state, syncNow } from "./sync.js";
import { h } from "./ui.js";
import * as account from "./screens/account.js";
import * as ent from "./screens/enterprise.js";
import * as hz from "./screens/hazards.js";
import * as work from "./screens/work.js";

const ROUTES = [
  [/^\/login$/, account.signIn, true],
  [/^\/$/, () => (location.hash = isEnterprise() ? "#/todo" : "#/tasks")],
  [/^\/tasks$/, work.tasks],
  [/^\/todo$/, ent.todo],
  [/^\/enterprises$/, work.enterprises],
  [/^\/enterprise\/(?<id>[\w-]+)$/, work.enterprise],
  [/^\/inspection\/(?<id>[\w-]+)$/, work.inspection],
  [/^\/inspection\/(?<id>[\w-]+)\/sign$/, work.sign],
  [/^\/hazard-new$/, work.hazardNew],
  [/^\/hazards$/, hz.list],
  [/^\/hazard\/(?<id>[\w-]+)$/, hz.detail],
  [/^\/hazard\/(?<id>[\w-]+)\/(?<action>[a-z_]+)$/, hz.action],
  [/^\/documents$/, ent.documents],
  [/^\/document\/(?<id>[\w-]+)$/, ent.documentDetail],
  [/^\/document\/(?<id>[\w-]+)\/sign$/, ent.signDocument],
  [/^\/task\/(?<id>[\w-]+)$/, ent.task],
  [/^\/reports$/, ent.reports],
  [/^\/report-new$/, ent.reportNew],
  [/^\/report\/(?<id>[\w-]+)$/, ent.report],
  [/^\/notifications$/, ent.notifications],
  [/^\/sync$/, account.syncScreen],
];

const TABS = {
  inspector: [["#/tasks", "任务"], ["#/hazards", "隐患"], ["#/notifications", "消息"], ["#/sync", "同步"]],
  enterprise: [["#/todo", "待办"], ["#/hazards", "隐患"], ["#/reports", "月报"], ["#/notifications", "消息"], ["#/sync", "同步"]],
};

// Screens render one at a time, in order: a slow screen never lands on top of the one navigated to after it.
let routing = Promise.resolve();
function route(redraw = false) {
  routing = routing.then(() => render(redraw)).catch((error) => console.error(error));
  return routing;
}

async function render(redraw) {
  if (redraw === true && !redrawable()) return; // navigated to a form meanwhile: never wipe its input
  const scroll = window.scrollY;
  const raw = location.hash.replace(/^#/, "") || "/";
  const [path, search] = raw.split("?");
  const needsLogin = !(await kv.get("tokens"));
  if (needsLogin && path !== "/login") {
    location.hash = "#/login";
    return;
  }
  for (const [pattern, screen, open] of ROUTES) {
    const match = pattern.exec(path);
    if (!match) continue;
    document.getElementById("tabs").hidden = !!open || !ctx.me;
    renderTabs(path);
    try {
      await screen(match.groups || {}, new URLSearchParams(search || ""));
      if (redraw === true) window.scrollTo(0, scroll);
    } catch (error) {
      console.error(error);
      document.getElementById("view").replaceChildren(h("p", { class: "empty", text: "页面出错了，请返回重试" }));
    }
    return;
  }
  location.hash = "#/";
}

function renderTabs(path) {
  const nav = document.getElementById("tabs");
  const tabs = isEnterprise() ? TABS.enterprise : TABS.inspector;
  nav.replaceChildren(...tabs.map(([href, text]) => h("a", { href, "aria-current": `#${path}` === href ? "page" : null, text },
    href === "#/sync" ? h("span", { class: "badge", id: "tab-badge", hidden: true }) : null)));
}

async function refreshPill() {
  const l = await ledger();
  const pill = document.getElementById("sync-pill");
  const attention = l.attention.length;
  pill.dataset.state = attention || l.phase === "error" || l.phase === "expired" ? "error" : l.pending ? "pending" : "idle";
  pill.textContent = l.phase === "syncing" ? "同步中…" : l.pending ? `待上传 ${l.pending}` : attention ? `需处理 ${attention}` : navigator.onLine ? "已同步" : "离线";
  const badge = document.getElementById("tab-badge");
  if (badge) {
    badge.hidden = !(l.pending + attention);
    badge.textContent = String(l.pending + attention);
  }
  if (l.phase === "expired" && !location.hash.startsWith("#/login")) {
    await kv.del("tokens");
    location.hash = "#/login";
  }
}

// Screens that only show data are redrawn when server data arrives; capture forms never are (unsaved input).
const LIVE = /^#\/(tasks|todo|hazards|notifications|reports|documents|sync|enterprises)?$|^#\/(hazard|document|enterprise)\/[\w-]+$/; // not the report: the principal types a reason there
const redrawable = () => LIVE.test(location.hash || "#/") || location.hash === "#/sync";
let pillTimer = null;
let redrawTimer = null;
store.onChange((what) => {
  clearTimeout(pillTimer);
  pillTimer = setTimeout(refreshPill, 50);
  if ((what === "data" && redrawable()) || location.hash === "#/sync") {
    clearTimeout(redrawTimer);
    redrawTimer = setTimeout(() => route(true), 150);
  }
});

async function boot() {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/app/sw.js", { scope: "/app/" }).catch((error) => console.warn("service worker", error));
  }
  await load();
  window.addEventListener("hashchange", route);
  start();
  await route();
  await refreshPill();
  if (ctx.me && (await kv.get("tokens")) && navigator.onLine) {
    syncNow();
    account.refreshPark();
  }
}

window.fieldApp = { state, syncNow, store, photos, kv };
boot();
