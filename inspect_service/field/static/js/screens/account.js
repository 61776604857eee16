// Sign-in, the device's sync ledger (with the operations needing attention) and signing out.

import { api, login, logout, NetworkError } from "../api.js";
import { clear, kv } from "../db.js";
import { ctx, load } from "../context.js";
import * as store from "../store.js";
import { halt, ledger, resume, syncNow } from "../sync.js";
import { ago, empty, field, h, input, label, mount, showProblem, title, toast, when } from "../ui.js";

/** Keep the park's settings (time zone, default deadlines) on the phone; refreshed whenever online at start. */
export async function refreshPark() {
  if (!ctx.me || !ctx.me.park_id) return;
  try {
    await kv.set("park", await api(`/api/parks/${ctx.me.park_id}`));
    await load();
  } catch (error) {
    /* offline or refused: the settings kept from before still apply */
  }
}

export async function signIn() {
  title("登录");
  const previous = ctx.me;
  const expired = await kv.get("session_expired");
  const queued = (await store.outbox()).length;
  const form = h("form", { novalidate: true },
    expired && previous ? h("div", { class: "card problem" }, h("strong", { text: "登录已过期，请重新输入密码" }),
      h("div", { text: `本机未同步的 ${queued} 项已保留，登录后继续上传。` })) : null,
    field("用户名", input("username", { autocomplete: "username", autocapitalize: "none", required: true, maxlength: 150,
                                       value: previous ? previous.username : "" })),
    field("密码", input("password", { type: "password", autocomplete: "current-password", required: true, maxlength: 256 })),
    h("div", { class: "actions" }, h("button", { class: "primary", type: "submit", text: "登录" })));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const v = Object.fromEntries(new FormData(form).entries());
    const username = v.username.trim().toLowerCase();
    if (previous && previous.username !== username) {
      if (queued && !confirm(`本机还有 ${previous.username} 未同步的 ${queued} 项。换用户登录会清除它们，确定吗？`)) return;
      // The previous user's data goes before the new user's tokens exist: nothing of theirs is ever sent as someone else.
      await halt();
      await clear(["entities", "outbox", "photos", "kv"]);
      await load();
    }
    try {
      await login(username, v.password);
    } catch (error) {
      if (error instanceof NetworkError) return toast("无法连接服务器，请联网后登录");
      return showProblem(form, error.problem || { title: "登录失败" });
    }
    resume();
    syncNow(); // the first bootstrap runs beside the account look-up: one round trip less on a slow network
    let me;
    try {
      me = await api("/api/me");
    } catch (error) {
      return toast("无法连接服务器，请稍后再试");
    }
    await kv.set("me", me);
    await load();
    location.hash = "#/";
    refreshPark();
  });
  mount(form);
}

function attention(entry) {
  const p = entry.problem || {};
  const current = p.current || null;
  const redo = h("button", { type: "button", text: entry.status === "conflict" ? "按最新状态重做" : "重新提交" });
  redo.addEventListener("click", async () => {
    // A new operation on the object as it is now (new key, the current version as its base).
    const op = { ...entry.op, op_id: store.uuid(), idempotency_key: store.uuid() };
    if (current && Number.isInteger(current.version)) op.base_version = current.version;
    await store.settle(entry, null);
    await store.enqueue({ kind: op.kind, data: op.data, label: entry.label, photos: entry.photos,
                          extra: Object.fromEntries(Object.entries(op).filter(([k]) => !["kind", "data", "op_id", "idempotency_key", "base_version"].includes(k))),
                          target: entry.target });
    syncNow();
  });
  const drop = h("button", { type: "button", class: "danger", text: "放弃" });
  drop.addEventListener("click", async () => {
    if (!confirm("放弃这项操作？服务器上的数据不会改变。")) return;
    await store.settle(entry, null);
    store.notify();
  });
  const errors = p.errors ? Object.entries(p.errors).map(([k, v]) => `${k}：${Array.isArray(v) ? v.join("；") : JSON.stringify(v)}`) : [];
  return h("div", { class: `card ${entry.status}`, "data-status": entry.status },
    h("strong", { text: entry.status === "conflict" ? `冲突：${entry.label || label("op", entry.op.kind)}` : `被拒绝：${entry.label || label("op", entry.op.kind)}` }),
    h("div", { class: "reason", text: p.detail || p.title || "" }),
    errors.map((text) => h("div", { class: "muted", text })),
    current ? h("div", { class: "muted", text: `服务器当前状态：${label("status", current.status) || current.status || ""}` }) : null,
    h("div", { class: "muted", text: `记录于 ${when(entry.created_at)}` }),
    h("div", { class: "actions" }, redo, drop));
}

export async function syncScreen() {
  title("同步");
  const l = await ledger();
  const now = h("button", { class: "primary", type: "button", text: "立即同步" });
  now.addEventListener("click", async () => {
    now.disabled = true;
    await syncNow();
    syncScreen();
  });
  const out = h("button", { type: "button", class: "danger", text: "退出登录" });
  out.addEventListener("click", async () => {
    const queued = (await store.outbox()).length;
    const warning = queued ? `本机还有 ${queued} 项未同步或待处理的操作，退出会永久删除它们。确定退出？` : "确定退出登录？";
    if (!confirm(warning)) return;
    await halt(); // a run in progress must not write anything back after the clear
    await logout();
    await clear(["entities", "outbox", "photos", "kv"]);
    await load();
    location.hash = "#/login";
  });
  mount(
    h("div", { class: "card", id: "ledger" }, h("dl", {},
      h("dt", { text: "状态" }), h("dd", { class: "phase", text: { idle: "已同步", syncing: "同步中…", offline: "离线", error: "同步出错", expired: "需要重新登录" }[l.phase] || l.phase }),
      l.error ? [h("dt", { text: "说明" }), h("dd", { text: l.error })] : null,
      h("dt", { text: "上次同步" }), h("dd", { class: "last-sync", text: l.lastSync ? `${when(l.lastSync)}（${ago(l.lastSync)}）` : "从未" }),
      h("dt", { text: "待上传" }), h("dd", { class: "pending-count", text: `${l.pending} 项` }),
      h("dt", { text: "最早一项" }), h("dd", { class: "oldest", text: l.oldest ? ago(l.oldest) : "—" }),
      h("dt", { text: "需要处理" }), h("dd", { class: "attention-count", text: `${l.attention.length} 项` }))),
    h("div", { class: "actions" }, now),
    h("h2", { text: "需要处理的操作" }),
    l.attention.length ? l.attention.map(attention) : empty("没有被拒绝或冲突的操作"),
    h("h2", { text: "账号" }),
    h("div", { class: "card" }, h("div", { text: ctx.me ? `${ctx.me.display_name}（${label("role", ctx.me.role)}）` : "" })),
    h("div", { class: "actions" }, out),
  );
}

