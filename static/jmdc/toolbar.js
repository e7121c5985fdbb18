// The selection toolbar's two browser-side buttons, as on the portal's earlier table:
// "Copy" puts the whole selection (not just this page) on the clipboard as tab-separated
// text, read from the CSV export; "Print" prints the page, the print stylesheet keeping
// only the table. Without JavaScript the buttons stay hidden and the downloads still work.
(function () {
  "use strict";
  var status = document.querySelector(".toolbar-status");

  function say(text) { if (status) { status.textContent = text; } }

  function parseCsv(text) {
    // The export's CSV: every field quoted, "" inside a field, LF between rows.
    var rows = [], row = [], field = "", quoted = false;
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
        else if (ch === '"') { quoted = false; }
        else { field += ch; }
      } else if (ch === '"') { quoted = true; }
      else if (ch === ",") { row.push(field); field = ""; }
      else if (ch === "\n") { row.push(field); rows.push(row); row = []; field = ""; }
      else { field += ch; }
    }
    if (field !== "" || row.length) { row.push(field); rows.push(row); }
    return rows;
  }

  var copy = document.querySelector("[data-copy-url]");
  if (copy && navigator.clipboard && window.fetch) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      say("Copying…");
      fetch(copy.dataset.copyUrl)
        .then(function (response) {
          if (!response.ok) { throw new Error("the export answered " + response.status); }
          // A selection too large to stream is redirected to an export task's page.
          if ((response.headers.get("Content-Type") || "").indexOf("text/csv") !== 0) {
            throw new Error("the selection is too large to copy; download it as CSV instead");
          }
          return response.text();
        })
        .then(function (text) {
          var rows = parseCsv(text);
          var tsv = rows.map(function (cells) {
            return cells.map(function (c) { return c.replace(/[\t\r\n]+/g, " "); }).join("\t");
          }).join("\n");
          return navigator.clipboard.writeText(tsv).then(function () {
            say((rows.length - 1) + " rows copied (tab-separated, with the header).");
          });
        })
        .catch(function (error) { say("Not copied: " + error.message); });
    });
  }

  var print = document.querySelector("[data-print]");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
})();
