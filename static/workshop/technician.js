/* The technician's screen: running clocks, the closed entries' time plus the time since clocking on,
   on the server's clock (the script tag's data-server-now, seconds since the epoch). */
(function () {
  "use strict";
  var serverNow = +document.currentScript.dataset.serverNow;
  var offset = serverNow * 1000 - Date.now();
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    document.querySelectorAll(".job-timer[data-since]").forEach(function (el) {
      var seconds = Math.max(0, Math.floor(+el.dataset.base + (Date.now() + offset) / 1000 - +el.dataset.since));
      el.textContent = Math.floor(seconds / 3600) + ":" + pad(Math.floor(seconds / 60) % 60) + ":" + pad(seconds % 60);
    });
  }
  tick();
  setInterval(tick, 1000);
})();
