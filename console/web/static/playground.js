// The console playground: the document in an editor, the engine's frame at the scrubber's time beside it,
// redrawn as you type (debounced), the problems with their paths (a click puts the cursor there), the cost
// of a render, and the buttons that save a preview, create a task or render. Every frame, check and action
// is a request to the server (see console/playground.go); nothing is drawn or validated only here, except
// the editor's own schema hints.
(() => {
  "use strict";
  const root = document.querySelector(".pg");
  if (!root) return;
  const base = root.dataset.base, consoleBase = base.slice(0, base.lastIndexOf("/"));
  const taskPage = (id) => `${consoleBase}/tasks/${encodeURIComponent(id)}`;
  const $ = (id) => document.getElementById(id);
  const img = $("pg-frame"), frameState = $("pg-frame-state"), scrub = $("pg-scrub"), time = $("pg-time");
  const problemsList = $("pg-problems"), problemCount = $("pg-problem-count"), cost = $("pg-cost");
  const result = $("pg-result"), progress = $("pg-progress"), note = $("pg-note"), textarea = $("pg-text");
  const buttons = [$("pg-save-preview"), $("pg-create-task"), $("pg-render")];

  // The console's CSRF token, sent with every POST.
  const csrf = () => (document.querySelector('meta[name="csrf-token"]') || {}).content ||
    (document.querySelector('input[name="csrf_token"]') || {}).value || "";

  // state is what the page shows; tests read it as window.framecastPlayground.
  const state = {
    fps: 30, duration: 0, t: 0,
    drawn: 0,          // how many frames have been shown
    shownText: null,   // the document and time of the frame shown
    shownT: null,
    pending: false,    // a draw request is in flight
    firstFrameMs: null, // time from navigation start to the first frame shown
    check: null,       // the latest check, of the document checkedText
    checkedText: null,
  };

  // The editor: CodeMirror when its bundle loaded, else the plain text area (still a working playground).
  let editor = null;
  const text = () => (editor ? editor.text() : textarea.value);
  function startEditor(schema) {
    if (!window.FramecastEditor) return;
    const host = $("pg-editor");
    editor = window.FramecastEditor.create(host, { text: textarea.value, schema, label: "Document (JSON)", onChange: changed,
      nonce: root.dataset.styleNonce });
    textarea.hidden = true;
    host.hidden = false;
  }
  textarea.addEventListener("input", changed);

  // Drawing: one request at a time; edits made meanwhile are drawn when it returns.
  let debounce = 0, again = false, controller = null;
  function changed() {
    clearTimeout(debounce);
    debounce = setTimeout(draw, 250);
  }
  async function draw(opts) {
    if (state.pending) { again = true; return; }
    state.pending = true;
    again = false;
    const doc = text(), t = state.t, frame = opts && opts.checkOnly ? "&frame=0" : "";
    const width = Math.min(1280, Math.max(160, Math.round(img.parentElement.clientWidth * (window.devicePixelRatio || 1) / 16) * 16));
    if (!frame) frameState.textContent = "Drawing…";
    try {
      controller = new AbortController();
      const res = await fetch(`${base}/draw?t=${t.toFixed(4)}&w=${width}${frame}`, {
        method: "POST", body: doc, signal: controller.signal,
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
      });
      const body = await res.json();
      if (!res.ok) throw new Error(body.error || res.statusText);
      show(body, doc);
    } catch (err) {
      if (err.name !== "AbortError") frameState.textContent = "The frame could not be drawn: " + err.message;
    } finally {
      state.pending = false;
      if (again) draw();
    }
  }

  function show(body, doc) {
    const check = body.check;
    state.check = check;
    state.checkedText = doc;
    listProblems(check.errors || [], check.warnings || []);
    if (check.valid) {
      state.fps = check.fps || 30;
      state.duration = check.duration;
      // The scrubber counts frames: its arrow keys step one frame, End goes to the last.
      scrub.max = String(Math.max(0, Math.ceil(check.duration * state.fps - 1e-6) - 1));
      cost.firstChild.textContent = `Rendering costs ${check.cost} credit${check.cost === 1 ? "" : "s"} (${check.quality}, ${check.width}×${check.height}, ${check.duration.toFixed(2)} s) · balance: `;
    } else {
      cost.firstChild.textContent = "Fix the problems to see the cost · balance: ";
    }
    if (body.frame) {
      img.onload = () => shown(doc, body.t);
      img.src = body.frame;
    } else if (check.valid && state.shownText === doc && state.shownT === body.t) {
      // A check of the frame already shown.
    } else {
      img.classList.add("pg-stale");
      frameState.textContent = body.busy ? "The server is busy; drawing again…" :
        body.error ? "Not drawn: " + body.error : "Not drawn: fix the problems below.";
      if (body.busy) setTimeout(draw, 1000);
    }
    buttons.forEach((b) => { b.disabled = !check.valid; });
  }

  // shown notes that the frame of doc at t is on the page.
  function shown(doc, t) {
    state.drawn++;
    state.shownText = doc;
    state.shownT = t;
    if (state.firstFrameMs === null) state.firstFrameMs = performance.now();
    img.alt = `The engine's frame at ${t.toFixed(2)} s`;
    frameState.textContent = `Frame at ${t.toFixed(2)} s`;
    img.classList.remove("pg-stale");
  }

  // The problems, errors first, each a button that moves the cursor to its path.
  function listProblems(errors, warnings) {
    problemsList.replaceChildren();
    const add = (p, kind) => {
      const li = document.createElement("li");
      li.className = "pg-problem pg-" + kind;
      const b = document.createElement("button");
      b.type = "button";
      b.className = "pg-path";
      b.dataset.path = p.path || "";
      b.textContent = p.path || "document";
      b.setAttribute("aria-label", `${kind === "error" ? "Error" : "Warning"} at ${p.path || "the document"}: go to it in the editor`);
      b.addEventListener("click", () => goTo(p));
      const msg = document.createElement("span");
      msg.className = "pg-message";
      msg.textContent = p.message;
      li.append(b, " ", msg);
      problemsList.append(li);
    };
    errors.forEach((p) => add(p, "error"));
    warnings.forEach((p) => add(p, "warning"));
    problemCount.textContent = String(errors.length + warnings.length);
  }

  // pointer turns a problem's path (tracks[0].clips[1].animations[0].type) into a JSON pointer.
  const pointer = (path) => path ? "/" + path.replace(/\[(\d+)\]/g, ".$1").split(".").filter((s) => s !== "").join("/") : "";

  function goTo(problem) {
    const at = /line (\d+), column (\d+)/.exec(problem.message);
    if (editor) {
      if (!problem.path && at) editor.goToLine(+at[1], +at[2]);
      else editor.goTo(pointer(problem.path));
      return;
    }
    textarea.focus();
    if (at) {
      const lines = textarea.value.split("\n").slice(0, +at[1] - 1);
      const pos = lines.reduce((n, l) => n + l.length + 1, 0) + +at[2] - 1;
      textarea.setSelectionRange(pos, pos);
    }
  }

  // The scrubber: the frame at the time dragged to.
  scrub.addEventListener("input", () => {
    state.t = (parseInt(scrub.value, 10) || 0) / state.fps;
    time.textContent = state.t.toFixed(2) + " s";
    scrub.setAttribute("aria-valuetext", time.textContent);
    draw();
  });

  // Starting points.
  $("pg-start").addEventListener("change", async (e) => {
    const from = e.target.value;
    if (!from) return;
    note.textContent = "Opening…";
    const res = await fetch(`${base}/start?from=${encodeURIComponent(from)}`, {
      method: "POST", headers: { "X-CSRF-Token": csrf() },
    });
    const body = await res.json().catch(() => ({ error: res.statusText }));
    if (!res.ok) { note.textContent = body.error; return; }
    if (editor) editor.setText(body.document); else { textarea.value = body.document; }
    note.textContent = `Started from ${e.target.selectedOptions[0].textContent}. ${body.note ? body.note + " " : ""}Undo (Ctrl+Z) brings your document back.`;
    e.target.value = ""; // the same starting point can be chosen again
    state.t = 0;
    scrub.value = "0";
    time.textContent = "0.00 s";
    draw();
  });

  // The actions: each posts the document to a core operation and says what came of it.
  async function post(path) {
    const res = await fetch(base + path, {
      method: "POST", body: text(),
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
    });
    const body = await res.json().catch(() => ({ error: res.statusText }));
    if (!res.ok) throw new Error(body.error || res.statusText);
    return body;
  }
  function say(...parts) {
    result.replaceChildren(...parts.map((p) => {
      if (typeof p === "string") return document.createTextNode(p);
      const a = document.createElement("a");
      a.href = p.href;
      a.textContent = p.text;
      return a;
    }));
  }
  async function act(button, fn) {
    buttons.forEach((b) => { b.disabled = true; });
    try { await fn(); } catch (err) { say(err.message); } finally {
      buttons.forEach((b) => { b.disabled = !(state.check && state.check.valid); });
      button.focus();
    }
  }
  $("pg-save-preview").addEventListener("click", (e) => act(e.target, async () => {
    const r = await post("/preview");
    say("Saved as a preview (expires in " + r.expiresIn + "): ", { href: r.previewUrl, text: "open the player" }, ".");
  }));
  $("pg-create-task").addEventListener("click", (e) => act(e.target, async () => {
    const r = await post("/task");
    say("Task " + r.taskId + " created, not rendered: ", { href: taskPage(r.taskId), text: "open it in Tasks" }, ".");
  }));
  $("pg-render").addEventListener("click", (e) => act(e.target, async () => {
    const r = await post("/render");
    $("pg-balance").textContent = String(r.remainingCredits);
    progress.hidden = false;
    progress.value = 0;
    say(`Rendering task ${r.taskId} (${r.cost} credits)… 0%`);
    watch(r);
  }));

  // watch polls a render until it ends, moving the progress bar.
  async function watch(r) {
    for (;;) {
      let st;
      try {
        const res = await fetch(`${base}/task/${encodeURIComponent(r.taskId)}`);
        st = await res.json();
        if (!res.ok) throw new Error(st.error || res.statusText);
      } catch (err) {
        say("Lost track of the render: " + err.message);
        return;
      }
      progress.value = Math.round(st.progress * 100);
      if (st.status === "completed") {
        say(`Task ${r.taskId} rendered: `, { href: st.videoUrl, text: "the video" }, ", ", { href: taskPage(r.taskId), text: "the task" }, ".");
        progress.dataset.status = "completed";
        return;
      }
      if (st.status === "failed") {
        say(`The render of task ${r.taskId} failed: ${st.error || "no reason given"}`);
        progress.dataset.status = "failed";
        return;
      }
      say(`Rendering task ${r.taskId} (${r.cost} credits)… ${progress.value}% `, { href: taskPage(r.taskId), text: "the task" });
      await new Promise((ok) => setTimeout(ok, 700));
    }
  }

  window.framecastPlayground = { state, text, goTo, get editor() { return editor; } };

  // The starting document's first frame is named in the page (first.jpg), so the browser fetched it with
  // the page; only its check (problems, cost) is asked for here. Were it missing, the frame is drawn too.
  // The editor (a larger script, loaded after this one) starts when it and the schema, which drives its
  // completion and hints, are here. Without either it still edits.
  const start = textarea.value;
  const firstShown = () => {
    if (img.naturalWidth > 0 && text() === start && state.drawn === 0) shown(start, 0);
  };
  if (img.dataset.first && !(img.complete && img.naturalWidth === 0)) {
    if (img.complete) firstShown(); else img.addEventListener("load", firstShown, { once: true });
    img.addEventListener("error", () => draw(), { once: true });
    draw({ checkOnly: true });
  } else {
    draw();
  }
  const script = $("pg-editor-js");
  const editorLoaded = window.FramecastEditor ? Promise.resolve() : new Promise((ok) => {
    script.addEventListener("load", ok);
    script.addEventListener("error", ok);
  });
  const schema = fetch(root.dataset.schema).then((r) => r.json()).catch(() => undefined);
  Promise.all([schema, editorLoaded]).then(([s]) => startEditor(s));
})();
