// The public API, with Bearer tokens kept in IndexedDB and refreshed while online.
// A lost refresh response does not sign the user out: the server accepts the previous refresh token
// again for a short grace window and answers the same new pair.

import { kv } from "./db.js";

export class NetworkError extends Error {}
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || { status, title: `HTTP ${status}` };
  }
}
/** The session truly ended (refresh refused): the password is needed again; nothing queued is dropped. */
export class SessionExpired extends Error {}

let refreshing = null;

async function tokens() {
  return (await kv.get("tokens")) || null;
}

export async function storeTokens(pair) {
  const now = Date.now();
  await kv.set("tokens", {
    access: pair.access_token,
    refresh: pair.refresh_token,
    accessUntil: now + (pair.expires_in - 30) * 1000,
    refreshUntil: now + pair.refresh_expires_in * 1000,
  });
}

async function refresh() {
  if (!refreshing) {
    refreshing = (async () => {
      const current = await tokens();
      if (!current) throw new SessionExpired("not signed in");
      let response;
      try {
        response = await fetch("/api/auth/refresh", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ refresh_token: current.refresh }),
        });
      } catch (error) {
        throw new NetworkError(String(error));
      }
      if (response.status === 401) {
        await kv.set("session_expired", true);
        throw new SessionExpired("session expired");
      }
      if (!response.ok) throw new NetworkError(`refresh answered ${response.status}`);
      await storeTokens(await response.json());
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

async function send(path, options, retried) {
  let current = await tokens();
  if (!current) throw new SessionExpired("not signed in");
  if (Date.now() > current.accessUntil && !retried) {
    await refresh();
    current = await tokens();
  }
  const headers = { ...(options.headers || {}), Authorization: `Bearer ${current.access}` };
  let response;
  try {
    response = await fetch(path, { ...options, headers });
  } catch (error) {
    throw new NetworkError(String(error));
  }
  if (response.status === 401 && !retried) {
    await refresh();
    return send(path, options, true);
  }
  return response;
}

async function body(response) {
  const type = response.headers.get("Content-Type") || "";
  if (type.includes("json")) return response.json();
  return null;
}

/** JSON request; 2xx → parsed body; 4xx → ApiError; 5xx and no network → NetworkError (retry later). */
export async function api(path, { method = "GET", json, headers = {}, form } = {}) {
  const options = { method, headers: { Accept: "application/json", ...headers } };
  if (json !== undefined) {
    options.body = JSON.stringify(json);
    options.headers["Content-Type"] = "application/json";
  }
  if (form) options.body = form;
  const response = await send(path, options, false);
  if (response.status >= 500) throw new NetworkError(`server answered ${response.status}`);
  if (response.status === 304) return null;
  const parsed = await body(response);
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

/** A photo's bytes from the server as an object URL (images need the Bearer token). */
export async function imageUrl(path) {
  const response = await send(path, { method: "GET" }, false);
  if (!response.ok) throw new ApiError(response.status, null);
  return URL.createObjectURL(await response.blob());
}

export async function login(username, password) {
  let response;
  try {
    response = await fetch("/api/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ username, password }),
    });
  } catch (error) {
    throw new NetworkError(String(error));
  }
  const parsed = await body(response);
  if (!response.ok) throw new ApiError(response.status, parsed);
  await storeTokens(parsed);
  await kv.del("session_expired");
  return parsed;
}

export async function logout() {
  const current = await tokens();
  if (!current) return;
  try {
    await fetch("/api/auth/logout", {
      method: "POST",
      headers: { Authorization: `Bearer ${current.access}` },
    });
  } catch (error) {
    /* offline: the tokens are dropped locally anyway */
  }
}
