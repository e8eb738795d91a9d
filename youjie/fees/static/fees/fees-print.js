// The print button of the printed fee notice (no inline script: the CSP allows 'self' only).
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("print-button");
  if (button) button.addEventListener("click", () => window.print());
});
