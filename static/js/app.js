// Small behaviours for every page. No inline scripts: the Content-Security-Policy forbids them.
document.addEventListener("DOMContentLoaded", function () {
  // htmx: send the CSRF token with every non-GET request.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("meta[name=csrf-token]");
    if (token) { event.detail.headers["X-CSRFToken"] = token.content; }
  });
  // A confirm prompt for buttons marked data-confirm.
  document.body.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) { event.preventDefault(); }
  });
  // The app's own file picker (youjie.core.widgets): show the chosen file's name in Chinese UI.
  document.body.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("file-picker-input")) { return; }
    var name = input.parentNode.querySelector("[data-file-name]");
    if (name) { name.textContent = input.files && input.files.length ? input.files[0].name : "未选择文件"; }
  });
  // Toggle the navigation on small screens.
  var toggle = document.getElementById("nav-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      document.getElementById("main-nav").classList.toggle("open");
    });
  }
});
