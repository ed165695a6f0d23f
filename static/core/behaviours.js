/* Behaviours the templates ask for with data-* attributes, so that no page needs an inline script or an
   on*= handler (the Content-Security-Policy forbids both) and htmx needs no eval for its trigger filters.

   data-confirm="question"          on a form: ask before submitting
   data-print                       on a button: print the page
   data-autosubmit                  on an input: submit its form when it changes
   data-remove-target="#id"         on a button: remove that element
   data-toggle-field="name=value:#id"  on a container: show #id only while the field `name` has `value`
   data-poll-pause-when="selector"  on an htmx poller: skip a refresh while the selector matches (a focused input)
   data-poll-pause-flag="name"      on an htmx poller: skip a refresh while window[name] is true
   data-ignore-changes-of="a b c"   on an htmx element: changes of these fields do not send a request */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) { event.preventDefault(); event.stopImmediatePropagation(); }
  }, true);
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
    var remover = event.target.closest("[data-remove-target]");
    if (remover) {
      var target = document.querySelector(remover.dataset.removeTarget);
      if (target) { target.remove(); }
    }
  });
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches("[data-autosubmit]") && input.form) { input.form.submit(); }
    var container = input.closest && input.closest("[data-toggle-field]");
    if (container) {
      var rule = container.dataset.toggleField.split(":");  // "name=value", "#id"
      var wanted = rule[0].split("=");
      var field = document.querySelector(rule[1]);
      if (field && input.name === wanted[0]) { field.classList.toggle("d-none", input.value !== wanted[1]); }
    }
  });
  document.addEventListener("htmx:confirm", function (event) {
    var element = event.detail.elt;
    var pauseWhen = element.dataset && element.dataset.pollPauseWhen;
    var pauseFlag = element.dataset && element.dataset.pollPauseFlag;
    var trigger = event.detail.triggeringEvent;
    // htmx polls ("every 60s") with no event; htmx.ajax() calls (the dispatch board's drops) have none either
    // but ask for a promise, and must never be skipped.
    var polling = trigger == null && !(event.detail.etc && event.detail.etc.returnPromise);
    if (polling && ((pauseWhen && document.querySelector(pauseWhen)) || (pauseFlag && window[pauseFlag]))) {
      event.preventDefault();
      return;
    }
    var ignored = element.dataset && element.dataset.ignoreChangesOf;
    if (ignored && trigger && trigger.type === "change" && trigger.target &&
        ignored.split(" ").indexOf(trigger.target.name) !== -1) {
      event.preventDefault();
    }
  });
})();
