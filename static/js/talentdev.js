/* The product's few behaviours, bound from data attributes so that pages need no inline
   script or event handler (the Content-Security-Policy forbids both). Listeners sit on the
   document, so content htmx swaps in later works too. */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var printer = event.target.closest("[data-print]");
    if (printer) {
      window.print();
      return;
    }

    // A found person's or org unit's "Add" button: its value goes on a line of its own in
    // the form's box (once), and the button says it was added.
    var adder = event.target.closest("[data-add-to]");
    if (!adder) {
      return;
    }
    var box = document.getElementById(adder.dataset.addTo);
    if (!box) {
      return;
    }
    var value = adder.dataset.addValue;
    var lines = box.value.split(/[\s,;]+/).filter(Boolean);
    if (lines.indexOf(value) === -1) {
      lines.push(value);
    }
    box.value = lines.join("\n");
    if (adder.dataset.addCheck) {
      var choice = document.getElementById(adder.dataset.addCheck);
      if (choice) {
        choice.checked = true;
      }
    }
    adder.textContent = "Added";
    adder.disabled = true;
  });
})();
