// Follows a large export: polls its status, then reloads to show the download link.
(function () {
  "use strict";
  var section = document.getElementById("job");
  if (!section || ["queued", "running"].indexOf(section.dataset.status) < 0) { return; }
  var bar = document.getElementById("job-progress");
  var stage = document.getElementById("job-stage");
  function poll() {
    fetch(section.dataset.statusUrl, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        if (job.status === "ready" || job.status === "failed") { window.location.reload(); return; }
        bar.value = job.percent;
        stage.textContent = job.done + " of " + job.total + " rows written";
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
