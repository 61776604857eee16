// The console's small scripts: photo lightbox, auto-submitting selects, job progress polling. No libraries.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("lightbox");
  if (box && typeof box.showModal === "function") {
    document.querySelectorAll("a[data-lightbox]").forEach((link) => {
      link.addEventListener("click", (event) => {
        event.preventDefault();
        box.querySelector("img").src = link.href;
        box.showModal();
      });
    });
    box.addEventListener("click", (event) => { if (event.target === box) box.close(); });
  }
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  document.querySelectorAll("[data-job-status]").forEach(pollJob);
});

function pollJob(element) {
  const url = element.dataset.jobStatus;
  const bar = element.querySelector("progress");
  const text = element.querySelector("[data-job-text]");
  const tick = async () => {
    let job;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      job = await response.json();
    } catch (error) {
      if (text) text.textContent = "无法获取进度（" + error.message + "）";
      return;
    }
    if (bar && typeof job.progress === "number") bar.value = job.progress;
    if (text) text.textContent = job.label || job.status;
    if (job.done) {
      if (job.document_url) window.location.assign(job.document_url);
      else window.location.reload();
      return;
    }
    window.setTimeout(tick, 1000);
  };
  tick();
}
