// Who is signed in and the park's settings, kept locally so every screen works offline.

import { kv } from "./db.js";
import { ZONE, addDays, today } from "./ui.js";

export const ctx = { me: null, park: null };

export async function load() {
  ctx.me = (await kv.get("me")) || null;
  ctx.park = (await kv.get("park")) || null;
  return ctx;
}

export const ENTERPRISE_ROLES = ["enterprise_safety_officer", "enterprise_principal"];
export const isEnterprise = () => !!ctx.me && ENTERPRISE_ROLES.includes(ctx.me.role);
export const isInspector = () => !!ctx.me && ctx.me.role === "inspector";
export const isPrincipal = () => !!ctx.me && ctx.me.role === "enterprise_principal";
export const zone = () => (ctx.park && ctx.park.timezone) || ZONE;
export const parkToday = () => today(zone());

const DEFAULT_DEADLINE_DAYS = { general: 7, major: 30 };

/** The default rectification deadline for a level, from the park's settings (7 / 30 days otherwise). */
export function defaultDeadline(level) {
  const settings = (ctx.park && ctx.park.settings) || {};
  const days = { ...DEFAULT_DEADLINE_DAYS, ...(settings.hazard_deadline_days || {}) };
  return addDays(parkToday(), days[level] ?? DEFAULT_DEADLINE_DAYS.general);
}

export const OPEN = ["registered", "notice_issued", "rectifying", "extension_requested", "reply_submitted"];
export const CLOCK_RUNNING = ["registered", "notice_issued", "rectifying", "extension_requested"];

/** Overdue as the server derives it: open with the clock running after the deadline day in the park's zone. */
export function overdue(hazard) {
  if (hazard.is_overdue && !hazard._pending) return true;
  return CLOCK_RUNNING.includes(hazard.status) && !!hazard.deadline && parkToday() > hazard.deadline;
}

export function byUrgency(a, b) {
  const oa = overdue(a) ? 0 : 1;
  const ob = overdue(b) ? 0 : 1;
  if (oa !== ob) return oa - ob;
  return String(a.deadline || a.due_date || "9999").localeCompare(String(b.deadline || b.due_date || "9999"));
}
