// Dispatch board: drag a job card from the queue (or from another technician) onto a technician's row, a
// bay's row, another place in the same row, or back onto the queue. The server assigns with the technician
// the card showed (a stale drag is refused with who moved it) and answers with the redrawn board, so a
// refused move snaps back. Polling (hx-trigger on #dispatch-board) pauses while a card is being dragged.
(function () {
  window.dispatchBusy = false;

  function queuePosition(lane, card) {
    // Place among the row's not-started jobs: running and finished cards come first on the row.
    var position = 0;
    for (var node = card.previousElementSibling; node; node = node.previousElementSibling) {
      if (node.matches(".job-card[data-state=assigned]")) position += 1;
    }
    return position;
  }

  function post(url, values) {
    var board = document.getElementById("dispatch-board");
    values.view = board.dataset.view;
    htmx.ajax("POST", url, {target: "#dispatch-board", swap: "outerHTML", source: board, values: values});
  }

  function urlFor(kind, card) {
    // The board carries one URL per move with job 0 in it: the cards stay light (150 of them every poll).
    var board = document.getElementById("dispatch-board");
    return board.dataset[kind].replace("/0/", "/" + card.dataset.job + "/");
  }

  function dropped(evt) {
    var lane = evt.to, card = evt.item;
    if (lane.hasAttribute("data-queue")) {
      post(urlFor("unassignUrl", card), {expected_technician: card.dataset.expected});
      return;
    }
    post(urlFor("assignUrl", card), {
      technician: lane.dataset.technician || "", bay: lane.dataset.bay || "",
      expected_technician: card.dataset.expected, position: queuePosition(lane, card)
    });
  }

  function bind(lane) {
    if (lane._sortable) return;
    var isQueue = lane.hasAttribute("data-queue");
    lane._sortable = Sortable.create(lane, {
      group: {name: "dispatch-jobs", put: !lane.hasAttribute("data-nodrop")},
      sort: !isQueue, draggable: ".job-card[data-movable]", animation: 120,
      delay: 150, delayOnTouchOnly: true, ghostClass: "sortable-ghost", forceFallback: false,
      onStart: function () { window.dispatchBusy = true; },
      onEnd: function () { window.dispatchBusy = false; },
      onAdd: dropped,
      onUpdate: dropped
    });
  }

  htmx.onLoad(function (root) {
    var scope = root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches(".dispatch-lane")) bind(scope);
    scope.querySelectorAll(".dispatch-lane").forEach(bind);
  });
})();
