// 诉事速办 staff pages. No inline scripts (CSP): behaviour is attached here by delegation, so
// that it also works on parts swapped in by htmx (the caller card).
document.addEventListener("DOMContentLoaded", function () {
  // 当场答复: the answer box is shown only when the box is ticked.
  function syncAnswer() {
    var box = document.getElementById("id_answer_on_the_spot");
    var field = document.getElementById("answer-field");
    if (box && field) { field.classList.toggle("hidden", !box.checked); }
  }
  syncAnswer();

  document.body.addEventListener("change", function (event) {
    var target = event.target;
    if (target.id === "id_answer_on_the_spot") { syncAnswer(); }
    // A reply template fills the answer box with its text (placeholders already filled in).
    if (target.matches("select[data-reply-templates]")) {
      var option = target.options[target.selectedIndex];
      var box = target.form.querySelector("textarea[name=body]");
      if (box && option && option.dataset.body !== undefined) { box.value = option.dataset.body; }
    }
    // Choosing a matched person fills the requester's name when it is still empty.
    if (target.name === "requester_id" && target.dataset.name) {
      var name = document.getElementById("id_requester_name");
      if (name && !name.value) { name.value = target.dataset.name; }
    }
  });

  document.body.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });

  // The caller card pre-selects the person it matched: fill the name from it as a click would
  // (an empty name made the form refuse the registration).
  document.body.addEventListener("htmx:afterSettle", function (event) {
    var chosen = event.target.querySelector && event.target.querySelector("input[name=requester_id]:checked");
    var name = document.getElementById("id_requester_name");
    if (chosen && chosen.dataset.name && name && !name.value) { name.value = chosen.dataset.name; }
  });
});
