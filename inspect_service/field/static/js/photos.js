// Photos are resized on the phone (≤ 2560 px JPEG), kept in IndexedDB and uploaded with their client id
// before the operations that reference them; a retried upload returns the same photo.

import { api, imageUrl } from "./api.js";
import { get, put } from "./db.js";
import { uuid } from "./store.js";

const MAX_SIDE = 2560;

async function decode(file) {
  try {
    return await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch (error) {
    const url = URL.createObjectURL(file);
    try {
      const img = new Image();
      img.src = url;
      await img.decode();
      return img;
    } finally {
      URL.revokeObjectURL(url);
    }
  }
}

/** Resize a picked/captured image to a JPEG whose longer side is at most 2560 px. */
export async function resize(file) {
  const image = await decode(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(image.width, image.height));
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, width, height);
  context.drawImage(image, 0, 0, width, height);
  if (image.close) image.close();
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("encode failed"))), "image/jpeg", 0.85));
}

/** Keep a photo locally; its upload is queued with the operation that uses it. */
export async function keep(blob, { enterpriseId, role, position }) {
  const photo = {
    id: uuid(),
    blob,
    enterprise_id: enterpriseId,
    role,
    captured_at: new Date().toISOString(),
    latitude: position ? position.latitude : null,
    longitude: position ? position.longitude : null,
    uploaded: false,
  };
  await put("photos", photo);
  return photo.id;
}

export async function capture(file, options) {
  return keep(await resize(file), options);
}

/** Upload one kept photo unless already uploaded. Throws NetworkError (retry later) or ApiError (rejected). */
export async function upload(id) {
  const photo = await get("photos", id);
  if (!photo || photo.uploaded) return;
  const form = new FormData();
  form.append("file", photo.blob, `${id}.${photo.blob.type === "image/png" ? "png" : "jpg"}`);
  form.append("id", id);
  form.append("enterprise_id", photo.enterprise_id);
  form.append("role", photo.role);
  form.append("captured_at", photo.captured_at);
  if (photo.latitude !== null && photo.latitude !== undefined) {
    form.append("latitude", String(photo.latitude));
    form.append("longitude", String(photo.longitude));
  }
  await api("/api/photos", { method: "POST", form });
  await put("photos", { ...photo, uploaded: true });
}

const urls = new Map();

/** An <img> source for a photo: the local copy when there is one, else the server's thumbnail. */
export async function source(id, thumbnailUrl) {
  if (urls.has(id)) return urls.get(id);
  const local = await get("photos", id);
  let url = null;
  if (local) url = URL.createObjectURL(local.blob);
  else if (navigator.onLine) url = await imageUrl(thumbnailUrl || `/api/photos/${id}/thumbnail`).catch(() => null);
  if (url) urls.set(id, url);
  return url;
}

/** The device's position, or null when refused, unavailable or slow (never blocks capture). */
export function position(timeout = 8000) {
  return new Promise((resolve) => {
    if (!navigator.geolocation) return resolve(null);
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude, accuracy: p.coords.accuracy }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout, maximumAge: 60000 },
    );
  });
}
