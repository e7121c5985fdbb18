// "Send to TOPCAT / Aladin": a small client of the SAMP Web Profile (IVOA SAMP 1.3, section 5),
// written for this portal. The page speaks XML-RPC over HTTP to the hub on this computer
// (http://127.0.0.1:21012/, the standard's port; the numeric loopback address, which an https
// page may reach where "localhost" is refused). It registers only when the user opens the menu,
// lists the applications that accept a VOTable (table.load.votable) and sends them the table's
// URL, which the application downloads itself; a star page also offers coord.pointAt.sky.
// Without a hub the menu shows what to start and the other ways to the table
// (templates/includes/samp_menu.html).
(function () {
  "use strict";

  var HUB = "http://127.0.0.1:21012/";
  var TABLE = "table.load.votable";
  var POINT = "coord.pointAt.sky";

  // XML-RPC, as much as SAMP needs: SAMP's values are strings, lists and maps only.
  function escapeXml(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function encodeValue(value) {
    if (Array.isArray(value)) {
      return "<value><array><data>" + value.map(encodeValue).join("") + "</data></array></value>";
    }
    if (value !== null && typeof value === "object") {
      var members = Object.keys(value).map(function (key) {
        return "<member><name>" + escapeXml(key) + "</name>" + encodeValue(value[key]) + "</member>";
      });
      return "<value><struct>" + members.join("") + "</struct></value>";
    }
    return "<value><string>" + escapeXml(value) + "</string></value>";
  }

  function childElements(node) {
    return Array.prototype.filter.call(node.childNodes, function (child) {
      return child.nodeType === 1;
    });
  }

  function decodeValue(valueNode) {
    var typed = childElements(valueNode)[0];
    if (!typed) return valueNode.textContent; // a bare <value>text</value> is a string
    if (typed.nodeName === "struct") {
      var map = {};
      childElements(typed).forEach(function (member) {
        var parts = childElements(member);
        var name = parts.filter(function (p) { return p.nodeName === "name"; })[0];
        var value = parts.filter(function (p) { return p.nodeName === "value"; })[0];
        map[name.textContent] = decodeValue(value);
      });
      return map;
    }
    if (typed.nodeName === "array") {
      var data = childElements(typed)[0];
      return data ? childElements(data).map(decodeValue) : [];
    }
    return typed.textContent; // string, int, i4, boolean: SAMP reads them as strings
  }

  function HubError(message) {
    this.message = message;
  }

  function call(method, params) {
    var body = '<?xml version="1.0"?><methodCall><methodName>' + escapeXml(method) +
      "</methodName><params>" +
      params.map(function (p) { return "<param>" + encodeValue(p) + "</param>"; }).join("") +
      "</params></methodCall>";
    // No credentials: the hub needs none, and the portal's cookies are not its business.
    return fetch(HUB, {
      method: "POST",
      headers: { "Content-Type": "text/xml" },
      body: body,
      credentials: "omit",
    }).then(function (response) {
      return response.text();
    }).then(function (text) {
      var xml = new DOMParser().parseFromString(text, "text/xml");
      var fault = xml.getElementsByTagName("fault")[0];
      if (fault) {
        var detail = decodeValue(childElements(fault)[0]);
        throw new HubError(detail.faultString || "the hub refused the request");
      }
      var value = xml.getElementsByTagName("value")[0];
      return value ? decodeValue(value) : "";
    });
  }

  // One registration per page, made on the user's first request and reused after.
  function Connection(name) {
    this.name = name;
    this.key = null;
  }

  Connection.prototype.register = function () {
    var self = this;
    if (self.key) return Promise.resolve(self.key);
    return call("samp.webhub.register", [{ "samp.name": self.name }]).then(function (answer) {
      self.key = answer["samp.private-key"];
      return call("samp.webhub.declareMetadata", [self.key, {
        "samp.name": self.name,
        "samp.description.text": "JMMC Measured stellar Diameters Catalogue (web page)",
        "home.page": window.location.origin + "/",
      }]);
    }).then(function () {
      return self.key;
    });
  };

  Connection.prototype.clients = function (mtype) {
    var key = this.key;
    return call("samp.webhub.getSubscribedClients", [key, mtype]).then(function (subscribed) {
      var ids = Object.keys(subscribed || {});
      return Promise.all(ids.map(function (id) {
        return call("samp.webhub.getMetadata", [key, id]).then(function (meta) {
          return { id: id, name: (meta && meta["samp.name"]) || id };
        }, function () {
          return { id: id, name: id };
        });
      }));
    });
  };

  Connection.prototype.send = function (recipient, message) {
    if (recipient) return call("samp.webhub.notify", [this.key, recipient, message]);
    return call("samp.webhub.notifyAll", [this.key, message]);
  };

  Connection.prototype.unregister = function () {
    if (!this.key) return;
    var body = '<?xml version="1.0"?><methodCall><methodName>samp.webhub.unregister</methodName>' +
      "<params><param>" + encodeValue(this.key) + "</param></params></methodCall>";
    this.key = null;
    try {
      fetch(HUB, { method: "POST", headers: { "Content-Type": "text/xml" }, body: body,
        credentials: "omit", keepalive: true }).catch(function () {});
    } catch (ignored) { /* leaving the page: nothing more to do */ }
  };

  function setUp(menu) {
    var table = JSON.parse(menu.getAttribute("data-samp"));
    var opener = menu.querySelector(".samp-open");
    var panel = menu.querySelector(".samp-panel");
    var status = menu.querySelector(".samp-status");
    var targets = menu.querySelector(".samp-targets");
    var help = menu.querySelector(".samp-help");
    var connection = new Connection("JMDC");

    function say(text) {
      status.textContent = text;
    }

    function button(label, action) {
      var item = document.createElement("li");
      var control = document.createElement("button");
      control.type = "button";
      control.textContent = label;
      control.addEventListener("click", action);
      item.appendChild(control);
      targets.appendChild(item);
      return control;
    }

    function tableMessage() {
      return { "samp.mtype": TABLE,
        "samp.params": { url: table.url, "table-id": table.url, name: table.name } };
    }

    function sendTable(client) {
      say("Sending the table to " + (client ? client.name : "every table viewer") + "…");
      connection.send(client && client.id, tableMessage()).then(function () {
        say("Sent to " + (client ? client.name : "every table viewer") +
          ": it loads the table from " + table.url + ".");
      }, failed);
    }

    function pointAt(client) {
      var message = { "samp.mtype": POINT,
        "samp.params": { ra: String(table.ra), dec: String(table.dec) } };
      connection.send(client.id, message).then(function () {
        say(client.name + " points at RA " + table.ra + ", Dec " + table.dec + ".");
      }, failed);
    }

    function failed(error) {
      if (error instanceof HubError) {
        say("The SAMP hub refused: " + error.message + ".");
        return;
      }
      // fetch rejects without a word when nothing listens on the port (or the page's policy
      // forbids the address): the same help either way.
      connection.key = null;
      targets.textContent = "";
      help.hidden = false;
      say("No SAMP hub is running on this computer: start TOPCAT or Aladin, or use the " +
        "download or the address below.");
    }

    function list() {
      targets.textContent = "";
      help.hidden = true;
      say("Asking the SAMP hub on this computer (it may ask you to accept this page)…");
      var pointing = table.ra !== null && table.dec !== null;
      connection.register().then(function () {
        return Promise.all([
          connection.clients(TABLE),
          pointing ? connection.clients(POINT) : Promise.resolve([]),
        ]);
      }).then(function (found) {
        var viewers = found[0];
        var pointers = found[1];
        viewers.forEach(function (client) {
          button("Send the table to " + client.name, function () { sendTable(client); });
        });
        if (viewers.length > 1) {
          button("Send the table to all of them", function () { sendTable(null); });
        }
        pointers.forEach(function (client) {
          button("Point " + client.name + " at this star", function () { pointAt(client); });
        });
        if (!viewers.length && !pointers.length) {
          say("The SAMP hub knows no application that loads tables: start TOPCAT or Aladin.");
          help.hidden = false;
        } else {
          say(viewers.length + " application" + (viewers.length === 1 ? "" : "s") +
            " can load this table: choose one.");
          var first = targets.querySelector("button");
          if (first) first.focus();
        }
      }, failed);
    }

    function close() {
      panel.hidden = true;
      opener.setAttribute("aria-expanded", "false");
      opener.focus();
    }

    opener.addEventListener("click", function () {
      if (!panel.hidden) {
        close();
        return;
      }
      panel.hidden = false;
      opener.setAttribute("aria-expanded", "true");
      list();
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !panel.hidden) close();
    });
    menu.querySelector(".samp-retry").addEventListener("click", list);
    var copy = menu.querySelector(".samp-copy");
    copy.addEventListener("click", function () {
      var field = menu.querySelector(".samp-url");
      field.select();
      var done = function () { say("The address is copied."); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          say("Copying was refused: the address is selected, copy it with Ctrl+C.");
        });
      } else {
        say("The address is selected: copy it with Ctrl+C.");
      }
    });
    window.addEventListener("pagehide", function () { connection.unregister(); });
  }

  document.querySelectorAll(".samp[data-samp]").forEach(setUp);
})();
