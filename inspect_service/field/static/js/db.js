// IndexedDB: the phone's replica (server state), its outbox (captured work) and its photos.
// Everything written here survives reload, app kill and reboot.

const NAME = "inspect-field";
const VERSION = 1;
let opened = null;

function promisify(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export function open() {
  if (opened) return opened;
  opened = new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore("kv");
      const entities = db.createObjectStore("entities", { keyPath: "key" });
      entities.createIndex("entity", "entity");
      entities.createIndex("enterprise", "enterprise_id");
      db.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
      db.createObjectStore("photos", { keyPath: "id" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opened;
}

/** Run `work(stores)` in one transaction over `names`; resolves when the transaction commits. */
export async function tx(names, mode, work) {
  const db = await open();
  const transaction = db.transaction(names, mode);
  const stores = Object.fromEntries(names.map((n) => [n, transaction.objectStore(n)]));
  let result;
  const done = new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve(result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error || new Error("transaction aborted"));
  });
  result = await work(stores);
  return done;
}

export const req = promisify;

export async function get(store, key) {
  return tx([store], "readonly", (s) => promisify(s[store].get(key)));
}

export async function put(store, value, key) {
  return tx([store], "readwrite", (s) => promisify(key === undefined ? s[store].put(value) : s[store].put(value, key)));
}

export async function del(store, key) {
  return tx([store], "readwrite", (s) => promisify(s[store].delete(key)));
}

export async function all(store, index, value) {
  return tx([store], "readonly", (s) => {
    const source = index ? s[store].index(index) : s[store];
    return promisify(value === undefined ? source.getAll() : source.getAll(value));
  });
}

export async function clear(names) {
  return tx(names, "readwrite", (s) => Promise.all(names.map((n) => promisify(s[n].clear()))));
}

export const kv = {
  get: (key) => get("kv", key),
  set: (key, value) => put("kv", value, key),
  del: (key) => del("kv", key),
};
