// The local replica and the outbox. What the user sees = the server's state (replica) with the user's own
// pending operations re-applied on top, so unsent work never vanishes when server changes arrive.

import { all, del, get, kv, put, req, tx } from "./db.js";

export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const key = (entity, id) => `${entity}:${id}`;

function row(entity, id, data) {
  return { key: key(entity, id), entity, id: String(id), enterprise_id: (data && data.enterprise_id) || null, data };
}

/** Store server objects (bootstrap pages, feed pages, operation results) in one transaction. */
export async function storeServer(items, extraKv = {}) {
  await tx(["entities", "kv"], "readwrite", async (s) => {
    for (const item of items) {
      if (item.op === "upsert" || item.op === undefined) {
        s.entities.put(row(item.entity, item.id, item.data));
      } else if (item.entity === "enterprise" && item.op === "remove") {
        // The enterprise left this user's scope: drop it and everything of it.
        const keys = await req(s.entities.index("enterprise").getAllKeys(String(item.id)));
        keys.forEach((k) => s.entities.delete(k));
        s.entities.delete(key("enterprise", item.id));
      } else {
        s.entities.delete(key(item.entity, item.id));
      }
    }
    for (const [k, v] of Object.entries(extraKv)) s.kv.put(v, k);
  });
  if (items.length) notify("data");
}

export async function serverObject(entity, id) {
  const found = await get("entities", key(entity, id));
  return found ? found.data : null;
}

// ---- the outbox --------------------------------------------------------------------------------------

/**
 * Queue one operation at capture time: client ids and the Idempotency-Key are made now, never at send time.
 * `target` names the object acted on; `photos` the local photo ids the operation needs uploaded first.
 */
export async function enqueue({ kind, data, target, label, photos = [], extra = {} }) {
  const op = { op_id: uuid(), kind, data, ...extra };
  if (!kind.startsWith("create_") && kind !== "add_result") op.idempotency_key = uuid();
  if (target) {
    // The version the phone last saw from the server (none for an object it created and has not sent yet).
    const seen = await serverObject(target.entity, target.id);
    if (seen && Number.isInteger(seen.version)) op.base_version = seen.version;
  }
  if (!kind.startsWith("create_") && kind !== "add_result") op.occurred_at = new Date().toISOString();
  const entry = {
    op,
    created_at: Date.now(),
    status: "pending",
    attempts: 0,
    label,
    target: target ? { entity: target.entity, id: String(target.id) } : null,
    photos,
  };
  entry.seq = await put("outbox", entry);
  notify();
  return entry;
}

export async function outbox() {
  return all("outbox");
}

export async function pending() {
  return (await outbox()).filter((e) => e.status === "pending");
}

/** An outbox entry as stored now (null once settled). */
export async function stored(seq) {
  return (await get("outbox", seq)) || null;
}

export async function settle(entry, patch) {
  if (patch === null) return del("outbox", entry.seq);
  return put("outbox", { ...entry, ...patch });
}

/** After our own operation moved an object to `version`, later queued operations on it start from there. */
export async function rebase(target, fromVersion, toVersion) {
  if (!target) return;
  await tx(["outbox"], "readwrite", async (s) => {
    const entries = await req(s.outbox.getAll());
    for (const e of entries) {
      if (e.status === "pending" && e.target && e.target.entity === target.entity && e.target.id === target.id
          && e.op.base_version === fromVersion) {
        e.op.base_version = toVersion;
        s.outbox.put(e);
      }
    }
  });
}

// ---- the view: server state + pending operations -------------------------------------------------------

const ACTION_STATUS = {
  acknowledge: "rectifying", record_refusal: "rectifying", request_extension: "extension_requested",
  submit_reply: "reply_submitted", recheck_pass: "closed", recheck_fail: "rectifying", fix_on_site: "closed",
  assign: "rectifying", void: "voided",
};
const REPORT_STATUS = { submit: "submitted", sign_off: "signed_off", return: "returned" };

function apply(view, entry) {
  const { op } = entry;
  const d = op.data || {};
  const touch = (entity, id, patch) => {
    const k = key(entity, id);
    const base = view.get(k) || { entity, id: String(id), data: {} };
    view.set(k, { ...base, pending: true, data: { ...base.data, ...patch } });
  };
  switch (op.kind) {
    case "create_inspection":
      touch("inspection", d.id, { ...d, version: 0 });
      if (d.task_id) touch("task", d.task_id, { status: "done", inspection_id: d.id }); // the visit completes its task
      break;
    case "update_inspection":
      touch("inspection", op.inspection_id, d);
      break;
    case "add_result":
      touch("result", d.id, { ...d, inspection_id: op.inspection_id, hazard_id: d.hazard ? d.hazard.id : null });
      if (d.hazard) touch("hazard", d.hazard.id, newHazard({ ...d.hazard, check_item_id: d.check_item_id }, entry));
      break;
    case "create_hazard":
      touch("hazard", d.id, newHazard(d, entry));
      break;
    case "hazard_action": {
      const patch = { status: ACTION_STATUS[op.action] || undefined };
      if (op.action === "recheck_fail") patch.deadline = d.new_deadline;
      if (!patch.status) delete patch.status;
      touch("hazard", op.hazard_id, patch);
      break;
    }
    case "acknowledge_document": {
      touch("document", op.document_id, { acknowledged_at: d.received_at });
      const doc = view.get(key("document", op.document_id));
      for (const hid of (doc && doc.data.hazard_ids) || []) {
        const h = view.get(key("hazard", hid));
        if (h && h.data.status === "notice_issued") touch("hazard", hid, { status: "rectifying" });
      }
      break;
    }
    case "complete_task":
      touch("task", op.task_id, { status: "done", note: d.note || "" });
      break;
    case "create_self_check_report":
      touch("self_check_report", d.id, { ...d, status: "draft", figures: {} });
      break;
    case "update_self_check_report":
      touch("self_check_report", op.report_id, d);
      break;
    case "self_check_report_action":
      touch("self_check_report", op.report_id, { status: REPORT_STATUS[op.action] });
      break;
    case "read_notification":
      touch("notification", op.notification_id, { read_at: op.occurred_at });
      break;
    default:
      break;
  }
}

function newHazard(d, entry) {
  return { ...d, status: "registered", hazard_no: "待同步", is_overdue: false, version: 0,
           created_at: new Date(entry.created_at).toISOString() };
}

/** Every object of `entity` as the user should see it now. */
export async function list(entity) {
  const [rows, entries] = await Promise.all([all("entities"), outbox()]);
  const view = new Map(rows.map((r) => [r.key, { ...r }]));
  for (const e of entries.sort((a, b) => a.seq - b.seq)) if (e.status === "pending") apply(view, e);
  return [...view.values()].filter((r) => r.entity === entity).map((r) => ({ ...r.data, id: r.id, _pending: !!r.pending }));
}

export async function one(entity, id) {
  return (await list(entity)).find((x) => x.id === String(id)) || null;
}

/** Operations needing attention (rejected or in conflict) about one object. */
export async function troubles(entity, id) {
  return (await outbox()).filter((e) => e.status !== "pending" && e.target && e.target.entity === entity
                                        && e.target.id === String(id));
}

// ---- change listeners -------------------------------------------------------------------------------

const listeners = new Set();
export function onChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
export function notify(what = "state") {
  listeners.forEach((fn) => {
    try { fn(what); } catch (error) { console.error(error); }
  });
}

export { kv };
