// The edition page's print button: shown only where a script can print (it is hidden in the
// markup), and never printed itself (print.css).
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
