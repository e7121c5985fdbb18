// Follows a long task (a release build, a large export, a harvest, SIMBAD identifying names):
// the widget of templates/includes/progress.html is shown only while the task runs. Polls its
// data-progress-url for {percent, stage, finished} (lib/progress.py), updates the bar and the
// stage (a live region: screen readers say it), and reloads the page once finished, where the
// server shows the result (downloads, or the error).
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var stage = box.querySelector("[data-stage]");
  function poll() {
    fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.finished) { window.location.reload(); return; }
        bar.value = state.percent;
        stage.textContent = state.percent + "% · " + state.stage;
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
