/* Booking a delivery: add a line from the formset's empty form; fill the lines from a purchase request. */
document.getElementById("add-line").addEventListener("click", function () {
  const total = document.getElementById("id_lines-TOTAL_FORMS");
  const html = document.getElementById("empty-line").innerHTML.replace(/__prefix__/g, total.value);
  document.querySelector("#delivery-lines tbody").insertAdjacentHTML("beforeend", html);
  total.value = Number(total.value) + 1;
  document.querySelector("#delivery-lines tbody tr:last-child input").focus();
});
document.getElementById("fill-from-pr").addEventListener("click", function () {
  const pr = document.getElementById("id_purchase_request").value;
  if (pr) { window.location.search = "?purchase_request=" + encodeURIComponent(pr); }
});
