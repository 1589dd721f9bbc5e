// Framecast console: the little the pages need beyond HTML forms. Every form also works without it.
"use strict";
(function () {
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  // Copy buttons: <button data-copy="#id"> copies the text of #id.
  document.addEventListener("click", function (e) {
    var b = e.target.closest("[data-copy]");
    if (!b) return;
    var el = document.querySelector(b.getAttribute("data-copy"));
    if (!el) return;
    var text = el.value !== undefined && el.tagName === "INPUT" ? el.value : el.textContent;
    var done = function () { var old = b.textContent; b.textContent = "Copied"; setTimeout(function () { b.textContent = old; }, 1500); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
    } else { fallbackCopy(text); done(); }
  });
  function fallbackCopy(text) {
    var t = document.createElement("textarea");
    t.value = text; t.setAttribute("readonly", ""); t.style.position = "fixed"; t.style.opacity = "0";
    document.body.appendChild(t); t.select();
    try { document.execCommand("copy"); } catch (err) { /* nothing more to try */ }
    document.body.removeChild(t);
  }

  // Forms with data-confirm ask first.
  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) e.preventDefault();
  });

  // Live progress: rows with data-task and a status that has not ended are polled.
  var live = document.querySelectorAll("[data-task][data-live]");
  if (live.length) {
    var poll = function () {
      var rows = document.querySelectorAll("[data-task][data-live]");
      if (!rows.length) return;
      var ids = Array.prototype.map.call(rows, function (r) { return r.getAttribute("data-task"); });
      fetch("/console/tasks.json?ids=" + encodeURIComponent(ids.join(",")), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) return;
          data.tasks.forEach(function (t) { updateRow(t); });
          setTimeout(poll, 1000);
        }, function () { setTimeout(poll, 3000); });
    };
    setTimeout(poll, 1000);
  }
  function updateRow(t) {
    var row = document.querySelector('[data-task="' + t.taskId + '"]');
    if (!row) return;
    var st = row.querySelector(".status");
    if (st) { st.textContent = t.status; st.className = "status status-" + t.status; }
    var bar = row.querySelector("progress");
    if (bar) {
      var p = Math.round((t.progress || 0) * 100);
      bar.value = p; bar.textContent = p + "%";
      bar.hidden = t.status !== "rendering";
    }
    var pl = row.querySelector(".pct");
    if (pl) pl.textContent = t.status === "rendering" ? Math.round((t.progress || 0) * 100) + "%" : "";
    if (t.thumbnailUrl) {
      var img = row.querySelector("img.thumb");
      if (!img) {
        var empty = row.querySelector(".thumb.empty");
        if (empty) {
          img = document.createElement("img");
          img.className = "thumb"; img.alt = ""; img.loading = "lazy";
          empty.replaceWith(img);
        }
      }
      if (img && img.getAttribute("src") !== t.thumbnailUrl) img.src = t.thumbnailUrl;
    }
    var cost = row.querySelector(".cost");
    if (cost) cost.textContent = t.costCredits;
    if (t.status === "completed" || t.status === "failed") {
      row.removeAttribute("data-live");
      if (row.hasAttribute("data-reload")) window.location.reload();
    }
  }

  // Uploads: drag and drop or the file input, sent one by one with a progress bar each.
  var drop = document.querySelector("[data-upload]");
  if (drop) {
    var input = drop.querySelector("input[type=file]");
    var list = document.getElementById("upload-list");
    var form = drop.closest("form");
    ["dragenter", "dragover"].forEach(function (ev) {
      drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (ev) {
      drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) { send(e.dataTransfer.files); });
    if (form) form.addEventListener("submit", function (e) { e.preventDefault(); send(input.files); });
    input.addEventListener("change", function () { send(input.files); });
    var pending = 0;
    var send = function (files) {
      Array.prototype.forEach.call(files || [], function (file) {
        var li = document.createElement("li");
        var name = document.createElement("span");
        name.textContent = file.name;
        var bar = document.createElement("progress");
        bar.max = 100; bar.value = 0;
        bar.setAttribute("aria-label", "Uploading " + file.name);
        var state = document.createElement("span");
        state.setAttribute("role", "status");
        li.append(name, bar, state);
        list.appendChild(li);
        var data = new FormData();
        data.append("file", file, file.name);
        var xhr = new XMLHttpRequest();
        xhr.open("POST", drop.getAttribute("data-upload"));
        xhr.setRequestHeader("X-CSRF-Token", csrf);
        xhr.setRequestHeader("Accept", "application/json");
        xhr.upload.onprogress = function (e) { if (e.lengthComputable) bar.value = Math.round(e.loaded * 100 / e.total); };
        pending++;
        xhr.onload = function () {
          pending--;
          var res = {};
          try { res = JSON.parse(xhr.responseText); } catch (err) { /* not JSON */ }
          if (xhr.status === 200) {
            bar.value = 100; state.textContent = "uploaded";
            if (!pending) window.location.reload();
          } else {
            state.textContent = "failed: " + (res.error || xhr.statusText);
            state.className = "error";
          }
        };
        xhr.onerror = function () { pending--; state.textContent = "failed: the connection broke"; state.className = "error"; };
        xhr.send(data);
      });
      input.value = "";
    };
  }
})();
