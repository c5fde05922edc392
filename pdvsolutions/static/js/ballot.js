// Live total of a knapsack ballot. Progressive enhancement only: the server checks the total.
(function () {
  "use strict";
  var form = document.querySelector("form.ballot[data-envelope]");
  if (!form) { return; }
  var envelope = parseInt(form.getAttribute("data-envelope"), 10);
  var output = document.getElementById("ballot-total");
  var line = output.parentNode;
  var format = new Intl.NumberFormat(document.documentElement.lang || "fr",
    { style: "currency", currency: "EUR" });
  function update() {
    var total = 0;
    form.querySelectorAll("input[data-cost]:checked").forEach(function (box) {
      total += parseInt(box.getAttribute("data-cost"), 10);
    });
    output.textContent = format.format(total / 100);
    line.classList.toggle("over-budget", total > envelope);
  }
  line.hidden = false;
  form.addEventListener("change", update);
  update();
})();
