// The sync engine: drain the outbox oldest first (photos before the operations that use them), then pull
// the change feed. A 4xx result parks its operation under "needs attention" and the queue goes on; a network
// error or 5xx stops the drain and retries with backoff. The feed cursor moves only with a stored page.

import { api, ApiError, NetworkError, SessionExpired } from "./api.js";
import { all, clear, del, kv } from "./db.js";
import { upload } from "./photos.js";
import * as store from "./store.js";

const BATCH = 50;
const RESULT_ENTITY = {
  create_inspection: "inspection", update_inspection: "inspection", add_result: "result", create_hazard: "hazard",
  hazard_action: "hazard", acknowledge_document: "document", complete_task: "task",
  create_self_check_report: "self_check_report", update_self_check_report: "self_check_report",
  self_check_report_action: "self_check_report", read_notification: "notification",
};

export const state = { phase: "idle", error: null, retryAt: null };
let running = null;
let failures = 0;
let timer = null;
let soon = null;

function set(phase, error = null) {
  state.phase = phase;
  state.error = error;
  store.notify();
}

function resultItems(entry, body) {
  const entity = RESULT_ENTITY[entry.op.kind];
  if (!body || !entity || !body.id) return [];
  const items = [{ entity, id: body.id, data: body }];
  if (entity === "result" && body.hazard) items.push({ entity: "hazard", id: body.hazard.id, data: body.hazard });
  return items;
}

async function settleResult(entry, result) {
  const problem = result.problem || null;
  if (result.status >= 200 && result.status < 300) {
    // The base this entry has now (an earlier result of this batch may have moved it), not the one it was sent with.
    const stored = await store.stored(entry.seq);
    const base = stored ? stored.op.base_version : entry.op.base_version;
    const moved = await hazardsMovedBy(entry);
    await store.storeServer(resultItems(entry, result.body));
    await store.settle(entry, null);
    if (result.body && Number.isInteger(result.body.version) && base !== undefined) {
      await store.rebase(entry.target, base, result.body.version);
    }
    // Signing for a notice moves each of its hazards one version on: the phone's own work, not a conflict.
    for (const [id, version] of moved) await store.rebase({ entity: "hazard", id }, version, version + 1);
    return true;
  }
  if (result.status >= 500) return false;
  const conflict = result.status === 409 && problem && String(problem.type || "").endsWith("version-conflict");
  if (conflict && problem.current && entry.target) {
    await store.storeServer([{ entity: entry.target.entity, id: entry.target.id, data: problem.current }]);
  }
  await store.settle(entry, { status: conflict ? "conflict" : "rejected", problem, settled_at: Date.now() });
  return true;
}

const PARALLEL_UPLOADS = 3;

/** Upload the photos these operations need (a few at once); operations whose photo was refused are parked. */
/** The server versions of the hazards a notice acknowledgement will move (empty for other operations). */
async function hazardsMovedBy(entry) {
  if (entry.op.kind !== "acknowledge_document") return [];
  const doc = await store.serverObject("document", entry.op.document_id);
  const moved = [];
  for (const id of (doc && doc.hazard_ids) || []) {
    const hazard = await store.serverObject("hazard", id);
    if (hazard && Number.isInteger(hazard.version) && hazard.status === "notice_issued") moved.push([String(id), hazard.version]);
  }
  return moved;
}

async function uploadPhotos(entries) {
  const ids = [...new Set(entries.flatMap((e) => e.photos || []))];
  const refused = new Map();
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      try {
        await upload(id);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        refused.set(id, error);
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_UPLOADS }, worker));
  const ready = [];
  for (const entry of entries) {
    const bad = (entry.photos || []).map((id) => refused.get(id)).find(Boolean);
    if (!bad) {
      ready.push(entry);
      continue;
    }
    await store.settle(entry, { status: "rejected", problem: { ...bad.problem, detail: `照片上传被拒绝：${bad.message}` },
                                settled_at: Date.now() });
  }
  return ready;
}

async function drain() {
  for (;;) {
    const queue = await store.pending();
    if (!queue.length) return;
    const ready = await uploadPhotos(queue.slice(0, BATCH));
    if (!ready.length) continue;
    let response;
    try {
      response = await api("/api/sync/batch", { method: "POST", json: { operations: ready.map((e) => e.op) } });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 401) throw new SessionExpired("session expired");
      if (error.status !== 422) throw new NetworkError(`batch answered ${error.status}`); // 408, 413, 429…: later
      for (const entry of ready) await store.settle(entry, { status: "rejected", problem: error.problem, settled_at: Date.now() });
      continue;
    }
    const byId = new Map(response.results.map((r) => [r.op_id, r]));
    for (const entry of ready) {
      const result = byId.get(entry.op.op_id);
      if (!result || !(await settleResult(entry, result))) throw new NetworkError("server error on an operation");
    }
    store.notify();
  }
}

const KEEP_PHOTOS_MS = 3 * 86400000;

/** Drop local copies of photos the server has, once no queued operation needs them and they are a few days old. */
async function prunePhotos() {
  const needed = new Set((await store.outbox()).flatMap((e) => e.photos || []));
  const before = Date.now() - KEEP_PHOTOS_MS;
  for (const photo of await all("photos")) {
    if (photo.uploaded && !needed.has(photo.id) && Date.parse(photo.captured_at) < before) await del("photos", photo.id);
  }
}

async function bootstrap() {
  let next = await kv.get("bootstrap");
  for (;;) {
    const query = next && next.page ? `?limit=200&page=${encodeURIComponent(next.page)}` : "?limit=200";
    const page = await api(`/api/sync/bootstrap${query}`);
    if (page.has_more) {
      next = { page: page.next_page };
      await store.storeServer(page.items, { bootstrap: next });
    } else {
      await store.storeServer(page.items, { bootstrap: null, cursor: page.cursor });
      return;
    }
  }
}

/** Start again from a fresh copy of the scope (queued work stays in the outbox and is shown on top). */
async function rebootstrap() {
  await clear(["entities"]);
  await kv.set("cursor", null);
  await kv.set("bootstrap", null);
  return pull();
}

async function pull() {
  let cursor = await kv.get("cursor");
  if (cursor === undefined || cursor === null) {
    await bootstrap();
    cursor = await kv.get("cursor");
  }
  for (;;) {
    let page;
    try {
      page = await api(`/api/sync/changes?limit=500&cursor=${encodeURIComponent(cursor)}`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 410) return rebootstrap(); // too old to catch up
      throw error;
    }
    if (page.items.some((item) => item.op === "resync")) return rebootstrap(); // the scope grew
    await store.storeServer(page.items, { cursor: page.next_cursor });
    cursor = page.next_cursor;
    if (!page.has_more) return;
  }
}

async function run() {
  set("syncing");
  try {
    await drain();
    await pull();
    await prunePhotos();
    await kv.set("last_sync_at", Date.now());
    failures = 0;
    state.retryAt = null;
    set("idle");
  } catch (error) {
    if (error instanceof SessionExpired) {
      set("expired", "登录已过期，请重新输入密码（未同步的内容会保留）");
      return;
    }
    failures += 1;
    const delay = Math.min(60000, 2000 * 2 ** Math.min(failures, 5));
    state.retryAt = Date.now() + delay;
    clearTimeout(timer);
    timer = setTimeout(syncNow, delay);
    set(navigator.onLine ? "error" : "offline", error instanceof NetworkError ? "网络不可用，稍后自动重试" : String(error));
    if (!(error instanceof NetworkError)) console.error(error);
  }
}

let halted = false;

/** Stop syncing and wait for a run in progress (before signing out or switching users). */
export async function halt() {
  halted = true;
  clearTimeout(timer);
  clearTimeout(soon);
  if (running) await running.catch(() => undefined);
}

/** Sync again after a halt (a user signed in). */
export function resume() {
  halted = false;
  failures = 0;
}

/** Sync now (one run at a time; a call during a run waits for it, then runs again if work remains). */
export function syncNow() {
  if (halted) return Promise.resolve();
  // Work queued during a successful run is sent at once; after a failure the backoff timer decides.
  if (running) return running.then(async () => (state.phase === "idle" && (await store.pending()).length ? syncNow() : undefined));
  running = run().finally(() => {
    running = null;
  });
  return running;
}

/** Sync shortly (coalesces bursts of captures into one drain). */
export function syncSoon(ms = 300) {
  clearTimeout(soon);
  soon = setTimeout(() => {
    if (navigator.onLine) syncNow();
  }, ms);
}

/** The device's sync ledger: last sync, pending count, oldest pending, items needing attention. */
export async function ledger() {
  const entries = await store.outbox();
  const pendingEntries = entries.filter((e) => e.status === "pending");
  return {
    pending: pendingEntries.length,
    oldest: pendingEntries.length ? Math.min(...pendingEntries.map((e) => e.created_at)) : null,
    attention: entries.filter((e) => e.status !== "pending").sort((a, b) => b.seq - a.seq),
    lastSync: (await kv.get("last_sync_at")) || null,
    phase: state.phase,
    error: state.error,
  };
}

export function start() {
  window.addEventListener("online", () => syncNow());
  window.addEventListener("offline", () => set("offline", "离线：记录会保存在手机上，联网后自动上传"));
  setInterval(() => {
    if (navigator.onLine && !running) syncNow();
  }, 30000);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && navigator.onLine) syncNow();
  });
}
