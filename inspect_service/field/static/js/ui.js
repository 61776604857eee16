// DOM helpers: user text is only ever set as text (textContent), never parsed as HTML.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "value") el.value = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function mount(...nodes) {
  const view = document.getElementById("view");
  view.replaceChildren(...nodes.flat(Infinity).filter(Boolean));
  view.focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

export function title(text, back) {
  document.getElementById("title").textContent = text;
  document.title = `${text} · 园区安全检查`;
  const button = document.getElementById("back");
  button.hidden = !back;
  button.onclick = () => (typeof back === "string" ? (location.hash = back) : history.back());
}

let toastTimer = null;
export function toast(text) {
  const el = document.getElementById("toast");
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.hidden = true), 3500);
}

export const LABELS = {
  level: { general: "一般", major: "重大" },
  status: {
    registered: "已登记", notice_issued: "已下达通知", rectifying: "整改中", extension_requested: "申请延期中",
    reply_submitted: "已回复待复查", escalated: "已上报", closed: "已销号", voided: "已作废",
  },
  domain: {
    basic_mgmt: "基础管理", hazchem: "危险化学品", fire: "消防", special_equipment: "特种设备", construction: "建筑施工",
    electrical: "用电", confined_space: "有限空间", combustible_dust: "粉尘涉爆", occupational_health: "职业卫生",
    traffic: "道路交通/厂内运输", other: "其他",
  },
  source: {
    self_check: "企业自查", park_inspection: "园区检查", enforcement: "执法检查", third_party: "第三方",
    public_report: "举报", covert_supervision: "督查暗访",
  },
  nature: { person: "人的不安全行为", object: "物的不安全状态", management: "管理缺陷" },
  rectify_mode: { immediate: "立即整改", deadline: "限期整改" },
  task_kind: {
    self_check: "企业自查", spot_check: "重点抽查", supervision: "园区督查", self_patrol: "企业自查巡查",
    park_patrol: "园区巡查", supervision_bulletin: "督查通报",
  },
  task_status: { open: "待办", done: "已完成", cancelled: "已取消" },
  report_status: { draft: "草稿", submitted: "已提交待签", returned: "已退回", signed_off: "已签发" },
  doc_status: { issued: "有效", superseded: "已更正", voided: "已作废" },
  role: {
    admin: "系统管理员", park_manager: "园区安委办", inspector: "检查人员",
    enterprise_safety_officer: "企业安全管理人员", enterprise_principal: "企业主要负责人",
  },
  op: {
    create_inspection: "开始检查", update_inspection: "检查签字", add_result: "检查项结果", create_hazard: "登记隐患",
    hazard_action: "隐患处理", acknowledge_document: "签收文书", complete_task: "完成任务",
    create_self_check_report: "新建月报", update_self_check_report: "修改月报", self_check_report_action: "月报流转",
    read_notification: "已读消息",
  },
  action: {
    acknowledge: "签收", record_refusal: "记录拒签", request_extension: "申请延期", submit_reply: "整改回复",
    recheck_pass: "复查合格", recheck_fail: "复查不合格", fix_on_site: "现场整改",
  },
};

export function label(kind, code) {
  return (LABELS[kind] && LABELS[kind][code]) || code || "";
}

export function tag(text, kind = "") {
  return h("span", { class: `tag ${kind}`, text });
}

export const ZONE = "Asia/Shanghai";

/** Today's date (YYYY-MM-DD) in the park's zone. */
export function today(zone = ZONE) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" })
    .format(new Date());
}

export function addDays(isoDate, days) {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function when(value) {
  if (!value) return "";
  const d = typeof value === "number" ? new Date(value) : new Date(value);
  return new Intl.DateTimeFormat("zh-CN", { timeZone: ZONE, month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" })
    .format(d);
}

export function ago(ms) {
  if (!ms) return "从未";
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 60) return `${s} 秒前`;
  if (s < 3600) return `${Math.round(s / 60)} 分钟前`;
  if (s < 86400) return `${Math.round(s / 3600)} 小时前`;
  return `${Math.round(s / 86400)} 天前`;
}

/** A labelled form control; `errors` is filled from a problem's per-field errors. */
export function field(text, control, hint) {
  const id = control.id || `f-${Math.random().toString(36).slice(2)}`;
  control.id = id;
  return h("div", { class: "field", "data-name": control.name || "" },
    h("label", { for: id, text }), control, hint ? h("div", { class: "muted", text: hint }) : null);
}

export function select(name, options, value) {
  return h("select", { name },
    Object.entries(options).map(([code, text]) => h("option", { value: code, selected: code === value, text })));
}

export function input(name, attrs = {}) {
  return h("input", { name, ...attrs });
}

export function textarea(name, attrs = {}) {
  const el = h("textarea", { name, ...attrs });
  if (attrs.value) el.value = attrs.value;
  return el;
}

/** Show the server's per-field errors beside the fields, and the problem's detail in a toast. */
export function showProblem(form, problem) {
  form.querySelectorAll(".field-error").forEach((e) => e.remove());
  const errors = (problem && problem.errors) || {};
  for (const [name, messages] of Object.entries(errors)) {
    const holder = form.querySelector(`[data-name="${CSS.escape(name)}"]`);
    const text = Array.isArray(messages) ? messages.join("；") : JSON.stringify(messages);
    if (holder) holder.append(h("div", { class: "field-error", text }));
  }
  toast((problem && (problem.detail || problem.title)) || "提交失败");
}

export function empty(text) {
  return h("p", { class: "empty", text });
}
