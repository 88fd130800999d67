// Long exports: show that the hub is working while the file is made, then hand it over.
(function () {
  "use strict";
  var box = document.querySelector(".export-progress");
  if (!box || !window.fetch) { return; }
  var text = box.querySelector("span");
  document.querySelectorAll("a[data-progress]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      box.hidden = false;
      text.textContent = link.dataset.progress;
      fetch(link.href, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        var name = (response.headers.get("Content-Disposition") || "").split('filename="')[1];
        return response.blob().then(function (blob) {
          var a = document.createElement("a");
          a.href = URL.createObjectURL(blob);
          a.download = name ? name.replace(/"$/, "") : "export";
          document.body.appendChild(a);
          a.click();
          a.remove();
          box.hidden = true;
        });
      }).catch(function () {
        text.textContent = link.textContent + ": " + (document.documentElement.lang === "nl" ? "mislukt, probeer het opnieuw" : "failed, try again");
      });
    });
  });
}());
