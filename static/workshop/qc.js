// The inspection form: a check marked "not OK" ticks its job's "send back as rework" switch and asks for the
// reason (the check's text until the inspector writes one); the switch may be unticked again.
document.addEventListener("change", (event) => {
  const radio = event.target.closest(".qc-answer .btn-check");
  if (!radio || radio.value !== "ng") return;
  const section = radio.closest(".qc-section[data-job]");
  const failed = section && section.querySelector(".qc-failed");
  if (failed && !failed.checked) {
    failed.checked = true;
    const reason = section.querySelector(".qc-reason");
    if (!reason.value) reason.value = radio.closest(".qc-check").querySelector("span").textContent.trim();
  }
});
