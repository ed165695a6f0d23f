// Drag an appointment card to another slot, advisor column or day: the server reschedules it with
// the same capacity checks as booking and answers with the redrawn board (a refused move snaps back).
(function () {
  function moveOnDrop(cell) {
    if (cell._sortable) return;
    cell._sortable = Sortable.create(cell, {
      group: "appointments", sort: false, animation: 120, draggable: ".appt-card[data-movable]",
      delay: 150, delayOnTouchOnly: true, ghostClass: "sortable-ghost",
      onAdd: function (evt) {
        var card = evt.item, board = document.getElementById("calendar-board");
        htmx.ajax("POST", card.dataset.moveUrl, {
          target: "#calendar-board", swap: "outerHTML", source: board,
          values: {
            start: cell.dataset.start || "", day: cell.dataset.day || "", advisor: cell.dataset.advisor || "",
            version: card.dataset.version, view: board.dataset.view, date: board.dataset.date
          }
        });
      }
    });
  }
  htmx.onLoad(function (root) {
    var scope = root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches(".slot-cell[data-droppable]")) moveOnDrop(scope);
    scope.querySelectorAll(".slot-cell[data-droppable]").forEach(moveOnDrop);
  });
})();
