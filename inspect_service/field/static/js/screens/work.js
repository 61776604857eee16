// The inspector's day: tasks → enterprise → inspection (checklist) → hazard capture → site signature.

import { ctx, byUrgency, defaultDeadline, isEnterprise, overdue, parkToday, OPEN } from "../context.js";
import * as store from "../store.js";
import { syncSoon } from "../sync.js";
import { empty, field, h, input, label, mount, select, showProblem, tag, textarea, title, toast, LABELS } from "../ui.js";
import { photoPicker, signaturePad } from "../widgets.js";
import { position } from "../photos.js";
import { uuid } from "../store.js";

function taskCard(task) {
  const late = task.status === "open" && task.due_date < parkToday();
  const href = isEnterprise() ? `#/task/${task.id}` : `#/enterprise/${task.enterprise_id}?task=${task.id}`;
  return h("a", { class: "card task", href, "data-id": task.id },
    h("div", { class: "row" }, h("strong", { text: task.enterprise_name || label("task_kind", task.kind) }),
      late ? tag("逾期", "overdue") : tag(`${task.due_date} 前`)),
    h("div", { class: "muted", text: `${label("task_kind", task.kind)}${task.enterprise_address ? " · " + task.enterprise_address : ""}` }),
    task._pending ? tag("待同步", "pending") : null);
}

function taskOrder(a, b) {
  const today = parkToday();
  const la = a.due_date < today ? 0 : 1;
  const lb = b.due_date < today ? 0 : 1;
  return la - lb || a.due_date.localeCompare(b.due_date);
}

export async function tasks() {
  title("今日任务");
  const open = (await store.list("task")).filter((t) => t.status === "open").sort(taskOrder);
  const today = parkToday();
  const due = open.filter((t) => t.due_date <= today);
  const later = open.filter((t) => t.due_date > today);
  mount(
    h("h2", { text: `今天及逾期（${due.length}）` }),
    due.length ? due.map(taskCard) : empty("今天没有到期的任务"),
    later.length ? [h("h2", { text: `即将到期（${later.length}）` }), later.slice(0, 30).map(taskCard)] : null,
    isEnterprise() ? null : h("div", { class: "actions" }, h("a", { class: "button", href: "#/enterprises", text: "选择企业开始检查" })),
  );
}

export async function enterprises() {
  title("企业", true);
  const all = (await store.list("enterprise")).sort((a, b) => String(a.name).localeCompare(String(b.name), "zh"));
  const list = h("div");
  const search = input("q", { type: "search", placeholder: "搜索企业名称", class: "search" });
  const render = () => {
    const q = search.value.trim();
    const shown = all.filter((e) => !q || String(e.name).includes(q));
    list.replaceChildren(...(shown.length ? shown.map((e) => h("a", { class: "card enterprise", href: `#/enterprise/${e.id}`, "data-id": e.id },
      h("strong", { text: e.name }), h("div", { class: "muted", text: e.address || "" }))) : [empty("没有找到企业")]));
  };
  search.addEventListener("input", render);
  render();
  mount(search, list);
}

export async function enterprise({ id }, query) {
  const e = await store.one("enterprise", id);
  title(e ? e.name : "企业", true);
  if (!e) return mount(empty("本机没有这家企业的资料（可能不在你的范围内）"));
  const hazards = (await store.list("hazard")).filter((x) => x.enterprise_id === id && OPEN.includes(x.status)).sort(byUrgency);
  const taskId = query.get("task");
  const start = h("button", { class: "primary", type: "button", text: "开始检查" });
  start.addEventListener("click", async () => {
    start.disabled = true;
    const inspectionId = uuid();
    const data = {
      id: inspectionId, enterprise_id: id, source: "park_inspection", inspection_type: "routine",
      methods: ["site_walk"], inspector_ids: [ctx.me.id], started_at: new Date().toISOString(),
    };
    if (taskId) data.task_id = taskId;
    await store.enqueue({ kind: "create_inspection", data, label: `检查 ${e.name}` });
    syncSoon();
    location.hash = `#/inspection/${inspectionId}`;
  });
  mount(
    h("div", { class: "card" },
      h("dl", {}, h("dt", { text: "地址" }), h("dd", { text: e.address || "—" }),
        h("dt", { text: "主要负责人" }), h("dd", { text: e.principal_name || "—" }),
        h("dt", { text: "安全管理人员" }), h("dd", { text: e.safety_officer_name || "—" }))),
    h("div", { class: "actions" }, start),
    h("h2", { text: `未销号隐患（${hazards.length}）` }),
    hazards.length ? hazards.map(hazardCard) : empty("没有未销号的隐患"),
  );
}

export function hazardCard(x) {
  return h("a", { class: "card hazard", href: `#/hazard/${x.id}`, "data-id": x.id },
    h("div", { class: "row" }, h("strong", { text: x.hazard_no || "待同步" }),
      h("span", {}, x.level === "major" ? tag("重大", "major") : null, " ", overdue(x) ? tag("逾期", "overdue") : null)),
    h("div", { text: x.description || "" }),
    h("div", { class: "muted", text: `${label("status", x.status)}${x.deadline ? " · 期限 " + x.deadline : ""}` }),
    x._pending ? tag("待同步", "pending") : null);
}

function itemsOf(template, library) {
  if (!template) return [];
  const byId = new Map(library.map((i) => [i.id, i]));
  return (template.item_ids || []).map((id) => byId.get(id)).filter(Boolean);
}

export async function inspection({ id }) {
  const insp = await store.one("inspection", id);
  title("现场检查", `#/enterprise/${insp ? insp.enterprise_id : ""}`);
  if (!insp) return mount(empty("找不到这次检查"));
  const e = await store.one("enterprise", insp.enterprise_id);
  const library = await store.list("check_item");
  const templates = await store.list("checklist_template");
  const results = new Map((await store.list("result")).filter((r) => r.inspection_id === id).map((r) => [r.check_item_id, r]));
  const chosen = sessionStorage.getItem(`template:${id}`) || (templates[0] && templates[0].id) || "";
  const picker = select("template", Object.fromEntries([["", "按检查项库搜索"], ...templates.map((t) => [t.id, t.name])]), chosen);
  const search = input("q", { type: "search", placeholder: "搜索检查项（编号或内容）" });
  const list = h("div");
  const render = () => {
    const template = templates.find((t) => t.id === picker.value);
    const q = search.value.trim();
    let items = template ? itemsOf(template, library) : library;
    if (q) items = library.filter((i) => String(i.code).includes(q.toUpperCase()) || String(i.text).includes(q));
    else if (!template) items = [];
    list.replaceChildren(...(items.length ? items.slice(0, 80).map((i) => itemRow(insp, i, results.get(i.id)))
      : [empty(template || q ? "没有检查项" : "选择检查表或输入关键词搜索")]));
  };
  picker.addEventListener("change", () => {
    sessionStorage.setItem(`template:${id}`, picker.value);
    render();
  });
  search.addEventListener("input", render);
  render();
  const done = [...results.values()];
  mount(
    h("div", { class: "card" }, h("strong", { text: e ? e.name : "" }),
      h("div", { class: "muted", text: `已检查 ${done.length} 项，不合格 ${done.filter((r) => r.result === "fail").length} 项` })),
    field("检查表", picker), search, list,
    h("div", { class: "actions" },
      h("a", { class: "button", href: `#/hazard-new?inspection=${id}&enterprise=${insp.enterprise_id}`, text: "登记其他隐患" }),
      h("a", { class: "button primary", href: `#/inspection/${id}/sign`, text: "现场签字并结束" })),
  );
}

function itemRow(insp, item, result) {
  const star = item.major_criterion_ref ? "★ " : "";
  const buttons = [["pass", "合格"], ["fail", "不合格"], ["not_applicable", "不适用"]].map(([code, text]) =>
    h("button", { type: "button", class: code, "aria-pressed": String(!!result && result.result === code), text,
                  "data-result": code, disabled: !!result }));
  const row = h("div", { class: "card item", "data-code": item.code },
    h("div", { class: "row" }, h("strong", { text: `${star}${item.code}` }), result && result._pending ? tag("待同步", "pending") : null),
    h("div", { text: item.text }), h("div", { class: "muted", text: item.legal_basis }), h("div", { class: "seg" }, buttons));
  buttons.forEach((button) => button.addEventListener("click", async () => {
    const code = button.dataset.result;
    if (code === "fail") {
      location.hash = `#/hazard-new?inspection=${insp.id}&enterprise=${insp.enterprise_id}&item=${item.id}`;
      return;
    }
    await store.enqueue({ kind: "add_result", data: { id: uuid(), check_item_id: item.id, result: code },
                          extra: { inspection_id: insp.id }, label: `${item.code} ${code === "pass" ? "合格" : "不适用"}` });
    syncSoon();
    buttons.forEach((b) => {
      b.disabled = true;
      b.setAttribute("aria-pressed", String(b === button));
    });
  }));
  return row;
}

const OPTIONS = (kind) => LABELS[kind];

export async function hazardNew(_params, query) {
  const inspectionId = query.get("inspection");
  const enterpriseId = query.get("enterprise") || (ctx.me && ctx.me.enterprise_id);
  const item = query.get("item") ? await store.one("check_item", query.get("item")) : null;
  title(item ? `不合格：${item.code}` : "登记隐患", true);
  if (!enterpriseId) return mount(empty("请先选择企业"));
  const photos = photoPicker({ enterpriseId, role: "before", label: "拍摄隐患照片", min: 1 });
  const gps = h("span", { class: "muted", text: "定位中…" });
  let where = null;
  position().then((p) => {
    where = p;
    gps.textContent = p ? `已定位（±${Math.round(p.accuracy)} 米）` : "未获得定位（可手填部位）";
  });
  const level = select("level", OPTIONS("level"), item && item.major_criterion_ref ? "major" : "general");
  const deadline = input("deadline", { type: "date", value: defaultDeadline(level.value) });
  level.addEventListener("change", () => (deadline.value = defaultDeadline(level.value)));
  const criterion = item && item.major_criterion_ref;
  const determination = textarea("major_determination", { maxlength: 2000, placeholder: "重大隐患的判定依据或判定说明" });
  const determinationBox = field("重大隐患判定", determination, criterion ? `按判定标准：${criterion}` : "无判定标准条目时必填");
  const showDetermination = () => (determinationBox.hidden = level.value !== "major" || !!criterion);
  level.addEventListener("change", showDetermination);
  showDetermination();
  const suspected = input("suspected_major", { type: "checkbox" });
  suspected.checked = !!(item && item.major_criterion_ref);
  const form = h("form", { novalidate: true },
    field("照片", photos.el), h("div", {}, gps),
    field("部位", input("location_text", { required: true, maxlength: 300, placeholder: "如：二号车间东侧配电箱" })),
    field("隐患描述", textarea("description", { required: true, maxlength: 4000, value: item ? item.text + "：" : "" })),
    field("判定依据", textarea("legal_basis", { required: true, maxlength: 1000, value: item ? item.legal_basis : "" })),
    field("等级", level), determinationBox,
    h("div", { class: "field", "data-name": "suspected_major" }, h("label", {}, suspected, " 疑似重大隐患",
      item && item.major_criterion_ref ? h("span", { class: "muted", text: `（★ ${item.major_criterion_ref}）` }) : null)),
    field("领域", select("domain", OPTIONS("domain"), item ? item.domain : "other")),
    field("类型", select("nature", OPTIONS("nature"), "object")),
    field("来源", select("source", OPTIONS("source"), isEnterprise() ? "self_check" : "park_inspection")),
    field("整改方式", select("rectify_mode", OPTIONS("rectify_mode"), "deadline")),
    field("整改期限", deadline, "按园区设置默认，可修改"),
    h("h2", { text: "五落实" }),
    field("责任人", input("responsible_person", { maxlength: 100 })),
    field("整改措施", textarea("measures", { maxlength: 4000 })),
    field("整改资金（元）", input("funds", { inputmode: "decimal", maxlength: 14 })),
    field("应急预案", textarea("contingency_plan", { maxlength: 4000 })),
    field("临时措施", textarea("interim_measures", { maxlength: 4000 })),
    field("验收标准", input("acceptance_criteria", { maxlength: 1000 })),
    field("验收人", input("acceptor", { maxlength: 100 })),
    h("div", { class: "actions" }, h("button", { class: "primary", type: "submit", text: "保存隐患" })));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const v = Object.fromEntries(new FormData(form).entries());
    const errors = {};
    if (!photos.ids().length) errors.photo_ids = ["至少拍一张照片"];
    for (const name of ["location_text", "description", "legal_basis"]) if (!String(v[name] || "").trim()) errors[name] = ["必填"];
    if (v.funds && !/^\d{1,11}(\.\d{1,2})?$/.test(v.funds)) errors.funds = ["金额格式不对"];
    if (v.level === "major" && !criterion && !String(v.major_determination || "").trim()) errors.major_determination = ["重大隐患需写明判定依据"];
    if (Object.keys(errors).length) return showProblem(form, { title: "请补全必填项", errors });
    const hazard = {
      id: uuid(), location_text: v.location_text.trim(), description: v.description.trim(), legal_basis: v.legal_basis.trim(),
      level: v.level, domain: v.domain, nature: v.nature, source: v.source, rectify_mode: v.rectify_mode,
      suspected_major: suspected.checked, photo_ids: photos.ids(), found_at: new Date().toISOString(),
      latitude: where ? where.latitude : null, longitude: where ? where.longitude : null,
    };
    if (v.rectify_mode === "deadline" && v.deadline) hazard.deadline = v.deadline;
    for (const name of ["responsible_person", "measures", "contingency_plan", "interim_measures", "acceptance_criteria", "acceptor"]) {
      if (String(v[name] || "").trim()) hazard[name] = v[name].trim();
    }
    if (v.funds) hazard.funds = v.funds;
    if (v.level === "major") {
      if (criterion) hazard.major_criterion_ref = criterion;
      else hazard.major_determination = v.major_determination.trim();
    }
    if (item && inspectionId) {
      await store.enqueue({ kind: "add_result", data: { id: uuid(), check_item_id: item.id, result: "fail", hazard },
                            extra: { inspection_id: inspectionId }, photos: hazard.photo_ids, label: `${item.code} 不合格` });
    } else {
      const data = { ...hazard, enterprise_id: enterpriseId };
      if (inspectionId) data.inspection_id = inspectionId;
      await store.enqueue({ kind: "create_hazard", data, photos: hazard.photo_ids, label: `隐患：${hazard.description.slice(0, 20)}` });
    }
    syncSoon();
    toast("隐患已保存，联网后自动上传");
    if (inspectionId) location.hash = `#/inspection/${inspectionId}`;
    else history.back();
  });
  mount(form);
}

export async function sign({ id }) {
  const insp = await store.one("inspection", id);
  title("现场签字", `#/inspection/${id}`);
  if (!insp) return mount(empty("找不到这次检查"));
  const pad = signaturePad();
  const refused = input("refused", { type: "checkbox" });
  const evidence = photoPicker({ enterpriseId: insp.enterprise_id, role: "evidence", label: "拍摄拒签证据" });
  const refusalBox = h("div", { hidden: true }, field("拒签证据照片", evidence.el), field("见证人", input("witness_name", { maxlength: 100 })));
  const signBox = h("div", {}, field("签名", pad.el));
  refused.addEventListener("change", () => {
    refusalBox.hidden = !refused.checked;
    signBox.hidden = refused.checked;
  });
  const form = h("form", { novalidate: true },
    field("现场负责人", input("site_rep_name", { maxlength: 100, required: true })),
    field("职务", input("site_rep_role", { maxlength: 100 })),
    h("div", { class: "field", "data-name": "site_rep_refused" }, h("label", {}, refused, " 拒绝签字")),
    signBox, refusalBox,
    h("div", { class: "actions" }, h("button", { class: "primary", type: "submit", text: "结束检查" })));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const v = Object.fromEntries(new FormData(form).entries());
    const data = { ended_at: new Date().toISOString(), site_rep_name: v.site_rep_name.trim(), site_rep_role: v.site_rep_role.trim() };
    let photos = [];
    if (!data.site_rep_name) return showProblem(form, { title: "请填写现场负责人", errors: { site_rep_name: ["必填"] } });
    if (refused.checked) {
      if (!evidence.ids().length) return showProblem(form, { title: "拒签需要证据照片", errors: { site_rep_refused: ["至少一张证据照片"] } });
      Object.assign(data, { site_rep_refused: true, refusal_evidence_photo_ids: evidence.ids() });
      if (v.witness_name.trim()) data.witness_name = v.witness_name.trim();
      photos = evidence.ids();
    } else {
      if (pad.isEmpty()) return showProblem(form, { title: "请在签名区签字" });
      data.site_rep_signature_photo_id = await pad.save(insp.enterprise_id);
      photos = [data.site_rep_signature_photo_id];
    }
    await store.enqueue({ kind: "update_inspection", data, extra: { inspection_id: id }, photos,
                          target: { entity: "inspection", id }, label: "检查签字" });
    syncSoon();
    toast("检查已结束");
    location.hash = "#/tasks";
  });
  mount(form);
}
