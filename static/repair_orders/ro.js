/* The RO page: the car diagram (tap to mark damage), the signature pads, the mileage correction field,
   and the version inputs following this page's own damage marks (they bump the RO's version). */
(function () {
  "use strict";

  function diagramTap(event) {
    var svg = event.target.closest(".car-diagram-wrap.editable .car-diagram");
    if (!svg || event.target.closest(".damage-mark")) return;
    var box = svg.getBoundingClientRect();
    var x = ((event.clientX - box.left) / box.width) * 100;
    var y = ((event.clientY - box.top) / box.height) * 100;
    var form = document.getElementById("damage-form");
    form.elements.x.value = x.toFixed(2);
    form.elements.y.value = y.toFixed(2);
    form.classList.remove("d-none");
    var pending = svg.querySelector(".car-pending");
    if (!pending) {
      pending = document.createElementNS("http://www.w3.org/2000/svg", "circle");
      pending.setAttribute("class", "car-pending");
      pending.setAttribute("r", "8");
      svg.appendChild(pending);
    }
    pending.setAttribute("cx", x.toFixed(2) + "%");
    pending.setAttribute("cy", y.toFixed(2) + "%");
    if (form.elements.note) form.elements.note.focus({ preventScroll: true });
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest(".car-diagram")) diagramTap(event);
    if (event.target.id === "damage-dismiss") {
      document.getElementById("damage-form").classList.add("d-none");
      var pending = document.querySelector(".car-pending");
      if (pending) pending.remove();
    }
  });

  // A damage mark saved from this page raised the RO's version by one: the page's other forms follow,
  // unless someone else changed the RO meanwhile (then their post is refused as stale, as it must be).
  document.addEventListener("htmx:afterSwap", function (event) {
    var diagram = document.getElementById("damage-diagram");
    if (!diagram || !event.detail.target || event.detail.target.id !== "damage-diagram") return;
    var version = parseInt(diagram.dataset.version, 10);
    document.querySelectorAll("input[name=version]").forEach(function (input) {
      if (parseInt(input.value, 10) === version - 1) input.value = version;
    });
  });

  var pads = {};
  window.roSignaturePads = pads; // the browser test checks the stroke landed
  function setUpPad(canvas) {
    if (!window.SignaturePad) return;
    var pad = new window.SignaturePad(canvas, { minWidth: 1, maxWidth: 3, penColor: "#000" });
    function resize() {
      if (!canvas.offsetWidth) return; // in a hidden tab: sized when the tab is shown
      var ratio = Math.max(window.devicePixelRatio || 1, 1);
      var data = pad.toData();
      canvas.width = canvas.offsetWidth * ratio;
      canvas.height = canvas.offsetHeight * ratio;
      canvas.getContext("2d").scale(ratio, ratio);
      pad.clear();
      pad.fromData(data);
    }
    pads[canvas.id] = { pad: pad, resize: resize, canvas: canvas };
    resize();
  }

  // The pads of the page, and of the check-in tab when htmx brings it later (checkin_tab).
  function setUpPads(root) {
    root.querySelectorAll(".signature-canvas").forEach(function (canvas) {
      if (!pads[canvas.id] || pads[canvas.id].canvas !== canvas) setUpPad(canvas);
    });
  }
  setUpPads(document);
  document.addEventListener("htmx:load", function (event) { setUpPads(event.target); watchMileage(); });
  window.addEventListener("resize", function () { Object.values(pads).forEach(function (p) { p.resize(); }); });
  document.addEventListener("shown.bs.tab", function () { Object.values(pads).forEach(function (p) { p.resize(); }); });
  document.addEventListener("click", function (event) {
    var id = event.target.dataset && event.target.dataset.clear;
    if (id && pads[id]) pads[id].pad.clear();
  });
  document.addEventListener("submit", function (event) {
    if (!event.target.matches("[data-signature-form]")) return;
    event.target.querySelectorAll("input[data-pad]").forEach(function (input) {
      var entry = pads[input.dataset.pad];
      input.value = entry && !entry.pad.isEmpty() ? entry.pad.toDataURL("image/png") : "";
    });
  });

  // The correction reason shows when the mileage typed is below the vehicle's last reading.
  function watchMileage() {
    var mileage = document.getElementById("walk_mileage");
    var correction = document.getElementById("mileage-correction");
    if (!mileage || !correction || !mileage.dataset.last || mileage.dataset.watched) return;
    mileage.dataset.watched = "1";
    mileage.addEventListener("input", function () {
      var lower = mileage.value !== "" && parseInt(mileage.value, 10) < parseInt(mileage.dataset.last, 10);
      correction.classList.toggle("d-none", !lower && !correction.querySelector("input").value);
    });
  }
  watchMileage();
})();
