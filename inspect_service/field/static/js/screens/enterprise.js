// The enterprise side: notices to sign for, hazards to rectify, self-patrol tasks, the monthly report.

import { ctx, byUrgency, isPrincipal } from "../context.js";
import * as store from "../store.js";
import { syncSoon } from "../sync.js";
import { imageUrl } from "../api.js";
import { empty, field, h, input, label, mount, select, showProblem, tag, textarea, title, toast, when } from "../ui.js";
import { signaturePad } from "../widgets.js";
import { hazardCard } from "./work.js";

// The enterprise's own work; park patrols and spot checks of it are the inspectors' tasks.
const ENTERPRISE_TASKS = ["self_check", "self_patrol"];
const unsigned = (d) => d.status === "issued" && !d.acknowledged_at && (d.hazard_ids || []).length > 0;

export async function todo() {
  title("待办");
  const docs = (await store.list("document")).filter(unsigned).sort((a, b) => String(a.issued_at).localeCompare(String(b.issued_at)));
  const hazards = (await store.list("hazard"))
    .filter((x) => ["registered", "notice_issued", "rectifying", "extension_requested"].includes(x.status)).sort(byUrgency);
  const tasks = (await store.list("task")).filter((t) => t.status === "open" && ENTERPRISE_TASKS.includes(t.kind))
    .sort((a, b) => a.due_date.localeCompare(b.due_date));
  mount(
    h("h2", { text: `待签收文书（${docs.length}）` }),
    docs.length ? docs.map(docCard) : empty("没有待签收的文书"),
    h("h2", { text: `待整改隐患（${hazards.length}）` }),
    hazards.length ? hazards.map(hazardCard) : empty("没有待整改的隐患"),
    h("h2", { text: `自查巡查任务（${tasks.length}）` }),
    tasks.length ? tasks.map((t) => h("a", { class: "card task", href: `#/task/${t.id}`, "data-id": t.id },
      h("div", { class: "row" }, h("strong", { text: label("task_kind", t.kind) }), tag(`${t.due_date} 前`)),
      t._pending ? tag("待同步", "pending") : null)) : empty("没有待办任务"),
  );
}

function docCard(d) {
  return h("a", { class: "card document", href: `#/document/${d.id}`, "data-id": d.id },
    h("div", { class: "row" }, h("strong", { text: d.title || "整改通知" }), unsigned(d) ? tag("待签收", "overdue") : tag("已签收", "ok")),
    h("div", { class: "muted", text: `${d.number || ""} · ${when(d.issued_at)}` }),
    d._pending ? tag("待同步", "pending") : null);
}

export async function documents() {
  title("文书");
  const docs = (await store.list("document")).sort((a, b) => String(b.issued_at).localeCompare(String(a.issued_at)));
  mount(docs.length ? docs.map(docCard) : empty("没有文书"));
}

export async function documentDetail({ id }) {
  const d = await store.one("document", id);
  title(d ? d.title : "文书", true);
  if (!d) return mount(empty("本机没有这份文书"));
  const hazards = (await store.list("hazard")).filter((x) => (d.hazard_ids || []).includes(x.id));
  const pdf = h("button", { type: "button", text: "查看 PDF（需联网）" });
  pdf.addEventListener("click", async () => {
    try {
      window.open(await imageUrl(`/api/documents/${id}/pdf`), "_blank");
    } catch (error) {
      toast("离线时无法打开 PDF");
    }
  });
  const troubles = await store.troubles("document", id);
  mount(
    troubles.map((t) => h("div", { class: "card problem" }, h("strong", { text: "签收未成功" }),
      h("div", { text: (t.problem && (t.problem.detail || t.problem.title)) || "" }), h("a", { href: "#/sync", text: "去处理" }))),
    h("div", { class: "card" }, h("dl", {},
      h("dt", { text: "文号" }), h("dd", { text: d.number || "" }),
      h("dt", { text: "下达时间" }), h("dd", { text: when(d.issued_at) }),
      h("dt", { text: "签收" }), h("dd", { text: d.acknowledged_at ? `已签收 ${when(d.acknowledged_at)}` : "未签收" }))),
    h("h2", { text: `涉及隐患（${(d.hazard_ids || []).length}）` }), hazards.map(hazardCard),
    h("div", { class: "actions" }, pdf, unsigned(d) ? h("a", { class: "button primary", id: "sign-document", href: `#/document/${id}/sign`, text: "签收" }) : null),
  );
}

export async function signDocument({ id }) {
  const d = await store.one("document", id);
  title("签收文书", `#/document/${id}`);
  if (!d) return mount(empty("本机没有这份文书"));
  const pad = signaturePad();
  const form = h("form", { novalidate: true },
    h("div", { class: "card" }, h("strong", { text: d.title || "" }), h("div", { class: "muted", text: d.number || "" })),
    field("签收人", input("recipient_name", { maxlength: 100, value: (ctx.me && ctx.me.display_name) || "" })),
    field("职务", input("recipient_role", { maxlength: 100, value: label("role", ctx.me && ctx.me.role) })),
    field("送达方式", select("method", { in_person: "当面送达", left_at_premises: "留置送达", electronic: "电子送达" }, "in_person")),
    field("签名", pad.el),
    h("div", { class: "actions" }, h("button", { class: "primary", type: "submit", text: "确认签收" })));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const v = Object.fromEntries(new FormData(form).entries());
    const errors = {};
    if (!v.recipient_name.trim()) errors.recipient_name = ["必填"];
    if (!v.recipient_role.trim()) errors.recipient_role = ["必填"];
    if (pad.isEmpty()) errors.signature_photo_id = ["请签名"];
    if (Object.keys(errors).length) return showProblem(form, { title: "请补全签收信息", errors });
    const signature = await pad.save(d.enterprise_id);
    const data = { recipient_name: v.recipient_name.trim(), recipient_role: v.recipient_role.trim(), method: v.method,
                   received_at: new Date().toISOString(), signature_photo_id: signature };
    await store.enqueue({ kind: "acknowledge_document", data, extra: { document_id: id }, photos: [signature],
                          target: { entity: "document", id }, label: `签收 ${d.number || ""}` });
    syncSoon();
    toast("已签收，联网后自动提交");
    location.hash = "#/todo";
  });
  mount(form);
}

export async function task({ id }) {
  const t = await store.one("task", id);
  title(t ? label("task_kind", t.kind) : "任务", true);
  if (!t) return mount(empty("本机没有这项任务"));
  const form = h("form", { novalidate: true },
    h("div", { class: "card" }, h("dl", {}, h("dt", { text: "截止" }), h("dd", { text: t.due_date }),
      h("dt", { text: "状态" }), h("dd", { text: label("task_status", t.status) }))),
    t.status === "open" ? [field("巡查情况", textarea("note", { maxlength: 2000, required: true })),
      h("div", { class: "actions" },
        h("a", { class: "button", href: `#/hazard-new?enterprise=${t.enterprise_id || ""}`, text: "登记发现的隐患" }),
        h("button", { class: "primary", type: "submit", text: "完成任务" }))] : null);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const note = String(new FormData(form).get("note") || "").trim();
    if (!note) return showProblem(form, { title: "请填写巡查情况", errors: { note: ["必填"] } });
    await store.enqueue({ kind: "complete_task", data: { note }, extra: { task_id: id }, target: { entity: "task", id },
                          label: `完成 ${label("task_kind", t.kind)} ${t.due_date}` });
    syncSoon();
    toast("任务已完成");
    history.back();
  });
  mount(form);
}

function previousMonth() {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}

export async function reports() {
  title("自查自纠月报");
  const list = (await store.list("self_check_report")).sort((a, b) => String(b.period).localeCompare(String(a.period)));
  const canCreate = !isPrincipal() && !list.some((r) => r.period === previousMonth());
  mount(
    canCreate ? h("div", { class: "actions" }, h("a", { class: "button primary", href: "#/report-new", text: `填写 ${previousMonth()} 月报` })) : null,
    list.length ? list.map((r) => h("a", { class: "card report", href: `#/report/${r.id}`, "data-id": r.id },
      h("div", { class: "row" }, h("strong", { text: `${r.period} 月报` }), tag(label("report_status", r.status), r.status === "returned" ? "bad" : "")),
      h("div", { class: "muted", text: `截止 ${r.due_date || ""}${r.late ? " · 逾期提交" : ""}` }),
      r._pending ? tag("待同步", "pending") : null)) : empty("还没有月报"),
  );
}

// The server's frozen figures (found / rectified / open by level), labelled for the reader.
const FIGURES = [["found", "发现隐患"], ["rectified", "已整改"], ["open", "月末未整改"]];
const NARRATIVE = [["checks_summary", "自查开展情况"], ["rectification_summary", "整改情况"],
                   ["open_hazards_measures", "未整改隐患的管控措施"], ["remarks", "备注"]];

export async function reportNew() {
  title("填写月报", "#/reports");
  const period = previousMonth();
  const form = h("form", { novalidate: true }, h("div", { class: "card" }, h("strong", { text: `${period} 自查自纠情况` })),
    NARRATIVE.map(([name, text]) => field(text, textarea(name, { maxlength: 4000 }))),
    h("div", { class: "actions" }, h("button", { class: "primary", type: "submit", text: "保存草稿" })));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const v = Object.fromEntries(new FormData(form).entries());
    const data = { period };
    for (const [name] of NARRATIVE) if (String(v[name] || "").trim()) data[name] = v[name].trim();
    await store.enqueue({ kind: "create_self_check_report", data: { ...data }, label: `${period} 月报` });
    syncSoon();
    toast("草稿已保存；同步后可提交给主要负责人");
    location.hash = "#/reports";
  });
  mount(form);
}

export async function report({ id }) {
  const r = await store.one("self_check_report", id);
  title(r ? `${r.period} 月报` : "月报", "#/reports");
  if (!r) return mount(empty("本机没有这份月报"));
  const figures = r.figures || {};
  const act = (action, data, text) => async () => {
    await store.enqueue({ kind: "self_check_report_action", data, extra: { report_id: id, action },
                          target: { entity: "self_check_report", id }, label: `${r.period} 月报${text}` });
    syncSoon();
    toast(`${text}已保存`);
    location.hash = "#/reports";
  };
  const reason = textarea("reason", { maxlength: 2000, placeholder: "退回理由" });
  const buttons = [];
  if (!isPrincipal() && ["draft", "returned"].includes(r.status) && !r._pending) {
    buttons.push(h("button", { class: "primary", type: "button", text: "提交主要负责人签发", onclick: act("submit", {}, "提交") }));
  }
  if (isPrincipal() && r.status === "submitted") {
    buttons.push(h("button", { class: "primary", type: "button", text: "签发", onclick: act("sign_off", {}, "签发") }));
    buttons.push(h("button", { class: "danger", type: "button", text: "退回", onclick: () => {
      const text = reason.value.trim();
      if (!text) return toast("请填写退回理由");
      return act("return", { reason: text }, "退回")();
    } }));
  }
  mount(
    h("div", { class: "card" }, h("div", { class: "row" }, h("strong", { text: label("report_status", r.status) }),
      r._pending ? tag("待同步", "pending") : null),
      h("dl", {}, FIGURES.filter(([key]) => figures[key]).map(([key, text]) => [h("dt", { text }),
        h("dd", { text: `${figures[key].total ?? 0} 项（重大 ${figures[key].major ?? 0} 项）` })]),
        figures.inspections ? [h("dt", { text: "本月检查" }), h("dd", { text: `${figures.inspections.total} 次（自查 ${figures.inspections.self_check} 次）` })] : null,
        NARRATIVE.map(([name, text]) => [h("dt", { text }), h("dd", { text: r[name] || "—" })]),
        r.return_reason ? [h("dt", { text: "退回理由" }), h("dd", { text: r.return_reason })] : null)),
    isPrincipal() && r.status === "submitted" ? field("退回理由（退回时填写）", reason) : null,
    h("div", { class: "actions" }, buttons),
  );
}

export async function notifications() {
  title("消息");
  const items = (await store.list("notification")).sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
  mount(items.length ? items.map((n) => {
    const link = { hazard: `#/hazard/${n.object_id}`, task: `#/task/${n.object_id}`, self_check_report: `#/report/${n.object_id}` }[n.object_type];
    const card = h("a", { class: "card notification", href: link || "#/notifications" },
      h("div", { class: "row" }, h("strong", { text: n.title || n.reason || "提醒" }), n.read_at ? null : tag("未读", "overdue")),
      h("div", { text: n.body || "" }), h("div", { class: "muted", text: when(n.created_at) }));
    card.addEventListener("click", async () => {
      if (n.read_at || n._pending) return;
      await store.enqueue({ kind: "read_notification", data: {}, extra: { notification_id: n.id },
                            target: { entity: "notification", id: n.id }, label: "已读消息" });
      syncSoon();
    });
    return card;
  }) : empty("没有消息"));
}

