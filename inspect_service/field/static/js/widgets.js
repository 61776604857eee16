// Reusable pieces of the capture screens: a photo picker (camera first) and a drawn signature.

import { capture, keep, position, source } from "./photos.js";
import { h, toast } from "./ui.js";

/** Photos taken with the camera (or picked), resized and kept locally; `ids()` lists them in order. */
export function photoPicker({ enterpriseId, role, label = "拍照", min = 0 }) {
  const ids = [];
  const grid = h("div", { class: "photos" });
  const count = h("span", { class: "muted", text: min ? `（至少 ${min} 张）` : "" });
  const fileInput = h("input", { type: "file", accept: "image/*", capture: "environment", multiple: true,
                                  "aria-label": label, "data-role": role });
  fileInput.addEventListener("change", async () => {
    const files = [...fileInput.files];
    fileInput.value = "";
    const where = await position(3000);
    for (const file of files) {
      try {
        const id = await capture(file, { enterpriseId, role, position: where });
        ids.push(id);
        const src = await source(id);
        grid.append(h("img", { src, alt: "照片", "data-photo-id": id }));
      } catch (error) {
        toast("无法读取这张照片，请重拍");
      }
    }
    count.textContent = `已拍 ${ids.length} 张`;
    wrapper.dispatchEvent(new Event("photos"));
  });
  const wrapper = h("div", { class: "photo-picker" },
    h("div", { class: "button pick" }, label, fileInput), " ", count, grid);
  return { el: wrapper, ids: () => [...ids] };
}

/** Show photos by id (local copies first, then the server's thumbnails). */
export function photoStrip(ids, thumbnails = {}) {
  const grid = h("div", { class: "photos" });
  for (const id of ids || []) {
    const img = h("img", { alt: "照片", "data-photo-id": id });
    grid.append(img);
    source(id, thumbnails[id]).then((src) => {
      if (src) img.src = src;
    });
  }
  return grid;
}

/** A signature drawn on screen with a finger; saved as a PNG photo with role "signature". */
export function signaturePad() {
  const canvas = h("canvas", { class: "signature", "aria-label": "签名区" });
  let drawn = false;
  let last = null;
  const context = () => canvas.getContext("2d");
  const resize = () => {
    const ratio = window.devicePixelRatio || 1;
    const rect = canvas.getBoundingClientRect();
    canvas.width = Math.max(1, Math.round(rect.width * ratio));
    canvas.height = Math.max(1, Math.round(rect.height * ratio));
    const c = context();
    c.scale(ratio, ratio);
    c.lineWidth = 2.5;
    c.lineCap = "round";
    c.strokeStyle = "#000";
    drawn = false;
  };
  const point = (event) => {
    const rect = canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };
  canvas.addEventListener("pointerdown", (event) => {
    canvas.setPointerCapture(event.pointerId);
    last = point(event);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!last) return;
    const p = point(event);
    const c = context();
    c.beginPath();
    c.moveTo(last.x, last.y);
    c.lineTo(p.x, p.y);
    c.stroke();
    last = p;
    drawn = true;
  });
  const stop = () => (last = null);
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);
  requestAnimationFrame(resize);
  const clear = h("button", { type: "button", text: "重签", onclick: resize });
  return {
    el: h("div", {}, canvas, h("div", { class: "actions" }, clear)),
    isEmpty: () => !drawn,
    async save(enterpriseId) {
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
      return keep(blob, { enterpriseId, role: "signature", position: null });
    },
  };
}
