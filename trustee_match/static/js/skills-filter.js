// Progressive enhancement for the skills picker: a search box that narrows the list.
// Without JavaScript the grouped checkboxes work on their own.
(function () {
  var box = document.querySelector(".skill-search");
  var input = document.getElementById("skill-filter");
  var status = document.getElementById("skill-filter-status");
  if (!box || !input) return;
  box.hidden = false;
  var rows = Array.prototype.slice.call(document.querySelectorAll(".skill-row"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".skill-group"));
  input.addEventListener("input", function () {
    var term = input.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var match = !term || row.getAttribute("data-skill-text").indexOf(term) !== -1;
      row.hidden = !match;
      if (match) shown += 1;
    });
    groups.forEach(function (group) {
      var visible = group.querySelectorAll(".skill-row:not([hidden])").length;
      group.hidden = visible === 0;
      if (term && visible) group.open = true;
    });
    status.textContent = term ? shown + (shown === 1 ? " skill matches" : " skills match") : "";
  });
})();
