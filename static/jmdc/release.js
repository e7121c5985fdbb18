// Follows the build of a release's files: polls its status and shows the progress,
// then reloads the page once the files are written (or the build failed).
(function () {
  "use strict";
  var section = document.getElementById("build");
  if (!section || section.dataset.status !== "building") { return; }
  var bar = document.getElementById("build-progress");
  var stage = document.getElementById("build-stage");
  function poll() {
    fetch(section.dataset.statusUrl, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.status !== "building") { window.location.reload(); return; }
        bar.value = state.progress;
        stage.textContent = state.progress + "% · " + state.stage;
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
