// Hazards: "my open hazards" with overdue state, one hazard's detail, and the actions a phone takes on it
// (reply with after-photos, extension request, recheck pass / fail).

import { byUrgency, isEnterprise, isInspector, overdue, parkToday, OPEN } from "../context.js";
import * as store from "../store.js";
import { syncSoon } from "../sync.js";
import { empty, field, h, input, label, mount, showProblem, tag, textarea, title, toast, when } from "../ui.js";
import { photoPicker, photoStrip } from "../widgets.js";
import { hazardCard } from "./work.js";

export async function list() {
  title(isEnterprise() ? "待整改隐患" : "我的隐患");
  const hazards = (await store.list("hazard")).filter((x) => OPEN.includes(x.status)).sort(byUrgency);
  const late = hazards.filter(overdue);
  mount(
    h("div", { class: "card" }, h("div", { class: "row" }, h("span", { text: `未销号 ${hazards.length} 项` }),
      late.length ? tag(`逾期 ${late.length} 项`, "overdue") : tag("无逾期", "ok"))),
    hazards.length ? hazards.map(hazardCard) : empty("没有未销号的隐患"),
  );
}

function allowed(hazard) {
  const actions = [];
  if (hazard._pending && !hazard.hazard_no) return actions;
  if (isEnterprise()) {
    if (["rectifying"].includes(hazard.status)) actions.push(["submit_reply", "整改回复", true]);
    if (["rectifying", "notice_issued"].includes(hazard.status)) actions.push(["request_extension", "申请延期", false]);
  } else if (isInspector()) {
    if (["reply_submitted", "rectifying"].includes(hazard.status)) {
      actions.push(["recheck_pass", "复查合格", true], ["recheck_fail", "复查不合格", false]);
    }
  }
  return actions;
}

function troubleCard(entry) {
  const p = entry.problem || {};
  return h("div", { class: `card ${entry.status === "conflict" ? "conflict" : "problem"}` },
    h("strong", { text: entry.status === "conflict" ? "操作冲突：对象已被他人改动" : "操作被拒绝" }),
    h("div", { text: `${entry.label || ""}：${p.detail || p.title || ""}` }),
    h("a", { href: "#/sync", text: "去处理" }));
}

export async function detail({ id }) {
  const x = await store.one("hazard", id);
  title(x ? x.hazard_no || "隐患" : "隐患", true);
  if (!x) return mount(empty("本机没有这项隐患（可能已不在你的范围内）"));
  const e = await store.one("enterprise", x.enterprise_id);
  const thumbs = Object.fromEntries((x.photos || []).map((p) => [p.id, p.thumbnail_url]));
  const troubles = await store.troubles("hazard", id);
  mount(
    troubles.map(troubleCard),
    h("div", { class: "card" },
      h("div", { class: "row" }, h("strong", { id: "hazard-status", text: label("status", x.status) }),
        h("span", {}, x.level === "major" ? tag("重大", "major") : tag("一般"), " ", overdue(x) ? tag("逾期", "overdue") : null,
          x._pending ? tag("待同步", "pending") : null)),
      h("dl", {},
        h("dt", { text: "企业" }), h("dd", { text: e ? e.name : "" }),
        h("dt", { text: "部位" }), h("dd", { text: x.location_text || "" }),
        h("dt", { text: "描述" }), h("dd", { text: x.description || "" }),
        h("dt", { text: "判定依据" }), h("dd", { text: x.legal_basis || "" }),
        h("dt", { text: "领域 / 来源" }), h("dd", { text: `${label("domain", x.domain)} / ${label("source", x.source)}` }),
        h("dt", { text: "整改期限" }), h("dd", { text: x.deadline || "—" }),
        h("dt", { text: "责任人" }), h("dd", { text: x.responsible_person || "—" }),
        h("dt", { text: "整改措施" }), h("dd", { text: x.measures || "—" })),
      photoStrip(x.photo_ids || [], thumbs)),
    h("div", { class: "actions" }, allowed(x).map(([action, text, primary]) =>
      h("a", { class: `button${primary ? " primary" : ""}`, href: `#/hazard/${id}/${action}`, text }))),
    x.events ? h("div", {}, h("h2", { text: "处理记录" }), x.events.map((ev) =>
      h("div", { class: "card" }, h("div", { class: "row" }, h("strong", { text: label("action", ev.action) || ev.action }),
        h("span", { class: "muted", text: when(ev.occurred_at || ev.at) }))))) : null,
  );
}

const FORMS = {
  submit_reply: { title: "整改回复", photos: [["after_photo_ids", "after", "整改后照片", 1], ["before_photo_ids", "before", "整改前照片", 0]],
    fields: [["measures", "已采取的整改措施", "textarea", true], ["completed_on", "完成日期", "date", true],
             ["cost", "整改费用（元）", "money", true], ["self_check_note", "自查说明", "textarea", false]] },
  request_extension: { title: "申请延期",
    fields: [["reason", "延期理由", "textarea", true], ["proposed_deadline", "申请延至", "date", true],
             ["interim_measures", "期间临时措施", "textarea", true]] },
  recheck_pass: { title: "复查合格", photos: [["photo_ids", "after", "复查照片", 0]],
    fields: [["note", "复查意见", "textarea", true], ["site_rep_name", "企业现场负责人", "text", false]] },
  recheck_fail: { title: "复查不合格", photos: [["photo_ids", "evidence", "复查照片", 0]],
    fields: [["note", "未整改合格的内容", "textarea", true], ["new_deadline", "新的整改期限", "date", true]] },
};

function control([name, , type, required]) {
  if (type === "textarea") return textarea(name, { maxlength: 4000, required });
  if (type === "date") return input(name, { type: "date", required, value: name === "completed_on" ? parkToday() : undefined });
  if (type === "money") return input(name, { inputmode: "decimal", maxlength: 14, required, placeholder: "0.00" });
  return input(name, { maxlength: 100 });
}

export async function action({ id, action: name }) {
  const spec = FORMS[name];
  const x = await store.one("hazard", id);
  if (!spec || !x) return mount(empty("无法办理"));
  title(spec.title, `#/hazard/${id}`);
  const pickers = (spec.photos || []).map(([key, role, text, min]) => [key, min, photoPicker({ enterpriseId: x.enterprise_id, role, label: text, min })]);
  const form = h("form", { novalidate: true },
    h("div", { class: "card" }, h("strong", { text: x.hazard_no || "" }), h("div", { text: x.description || "" })),
    pickers.map(([key, , picker]) => h("div", { class: "field", "data-name": key }, picker.el)),
    spec.fields.map((f) => field(f[1], control(f))),
    h("div", { class: "actions" }, h("button", { class: "primary", type: "submit", text: "提交" })));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const v = Object.fromEntries(new FormData(form).entries());
    const data = {};
    const errors = {};
    for (const [key, , , required] of spec.fields) {
      const value = String(v[key] || "").trim();
      if (required && !value) errors[key] = ["必填"];
      if (value) data[key] = value;
    }
    if (data.cost && !/^\d{1,11}(\.\d{1,2})?$/.test(data.cost)) errors.cost = ["金额格式不对"];
    const photos = [];
    for (const [key, min, picker] of pickers) {
      const ids = picker.ids();
      if (ids.length < min) errors[key] = [`至少 ${min} 张照片`];
      if (ids.length) data[key] = ids;
      photos.push(...ids);
    }
    if (Object.keys(errors).length) return showProblem(form, { title: "请补全必填项", errors });
    await store.enqueue({ kind: "hazard_action", data, extra: { hazard_id: id, action: name }, photos,
                          target: { entity: "hazard", id }, label: `${spec.title} ${x.hazard_no || ""}` });
    syncSoon();
    toast(`${spec.title}已保存，联网后自动提交`);
    location.hash = `#/hazard/${id}`;
  });
  mount(form);
}
