// Framecast player pages. Every picture comes from the server's render engine: stills are JPEG frames
// from {page}/frame, playback is a low-resolution proxy render from {page}/proxy. No dependencies.
(function () {
  'use strict';

  var FRAME_WIDTHS = [320, 480, 640, 960, 1280, 1920]; // few widths, so frames are shared by caches
  // The proxy endpoint is long-polled (?wait=1 answers when something changes); PROXY_POLL_MS is only the
  // pause after a failed request.
  var PROXY_POLL_MS = 1000, TASK_POLL_MS = 1500, TASK_IDLE_POLL_MS = 5000;

  function $(id) { return document.getElementById(id); }

  function clock(t) {
    var m = Math.floor(t / 60), s = t - 60 * m;
    return m + ':' + (s < 10 ? '0' : '') + s.toFixed(2);
  }

  function getJSON(url, done) {
    var x = new XMLHttpRequest();
    x.open('GET', url);
    x.responseType = 'json';
    x.onload = function () { done(x.status === 200 ? x.response : null, x.status); };
    x.onerror = function () { done(null, 0); };
    x.send();
  }

  // Player drives one <figure class="player">: stills from the frame endpoint, playback from the proxy.
  function Player(root) {
    var d = root.dataset;
    this.root = root;
    this.fps = parseFloat(d.fps) || 30;
    this.duration = parseFloat(d.duration) || 0;
    this.docWidth = parseInt(d.width, 10) || 1920;
    this.frameURL = d.frameUrl;
    this.proxyURL = d.proxyUrl;
    this.lastFrame = Math.max(0, Math.ceil(this.duration * this.fps - 1e-6) - 1);
    this.img = $('frame');
    this.video = $('proxy');
    this.playButton = $('play');
    this.scrub = $('scrub');
    this.time = $('time');
    this.note = $('proxy-note');
    this.shown = 0;        // the frame number on screen in the still
    this.loading = false;  // a frame request is in flight
    this.pending = null;   // the frame wanted next
    this.wantPlay = false; // Play was pressed before the proxy was ready
    this.proxyReady = false;
    this.partial = false;  // playing the proxy's first seconds while the rest renders
    this.partialSeconds = 0;
    this.bind();
    this.scrub.disabled = false;
    this.setTime(0);
    if (d.proxyErr) this.proxyFailed(d.proxyErr);
    else if (d.proxyReady === 'true') this.useProxy(d.proxySrc);
    else this.pollProxy(parseFloat(d.proxyProgress) || 0);
  }

  Player.prototype.bind = function () {
    var self = this;
    this.playButton.addEventListener('click', function () { self.toggle(); });
    this.scrub.addEventListener('input', function () { self.seek(parseFloat(self.scrub.value)); });
    this.video.addEventListener('timeupdate', function () {
      if (!self.video.paused) self.setTime(self.video.currentTime);
    });
    this.video.addEventListener('playing', function () { self.showVideo(true); self.setPlaying(true); });
    this.video.addEventListener('pause', function () { self.setPlaying(false); });
    this.video.addEventListener('ended', function () {
      if (!self.partial) return self.seek(self.duration);
      // The first seconds are over and the rest is not ready: hold the picture, go on when it is.
      self.seek(self.video.currentTime);
      self.wantPlay = true;
      self.note.textContent = 'The rest of the preview is being prepared… (plays when ready)';
    });
    document.addEventListener('keydown', function (e) { self.key(e); });
  };

  // key handles the keyboard: space plays or pauses, arrows move one second, comma and period one frame.
  Player.prototype.key = function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var tag = e.target && e.target.tagName;
    if (tag === 'TEXTAREA' || (tag === 'INPUT' && e.target.type !== 'range')) return;
    if (tag === 'BUTTON' && (e.key === ' ' || e.key === 'Enter')) return; // the button's own click
    var t = parseFloat(this.scrub.value), step = 1 / this.fps;
    switch (e.key) {
      case ' ': case 'k': this.toggle(); break;
      case 'ArrowLeft': this.seek(t - 1); break;
      case 'ArrowRight': this.seek(t + 1); break;
      case ',': this.seek((this.frameAt(t) - 1) * step); break;
      case '.': this.seek((this.frameAt(t) + 1) * step); break;
      case 'Home': this.seek(0); break;
      case 'End': this.seek(this.duration); break;
      default: return;
    }
    e.preventDefault();
  };

  Player.prototype.frameAt = function (t) {
    return Math.min(this.lastFrame, Math.max(0, Math.floor(t * this.fps + 1e-6)));
  };

  // setTime moves the scrubber and the clock to t without fetching a frame.
  Player.prototype.setTime = function (t) {
    this.scrub.value = String(t);
    this.scrub.setAttribute('aria-valuetext', clock(t) + ' of ' + clock(this.duration));
    this.time.value = clock(t) + ' / ' + clock(this.duration);
  };

  // seek pauses playback and shows the engine's frame at t.
  Player.prototype.seek = function (t) {
    t = Math.min(this.duration, Math.max(0, t || 0));
    this.wantPlay = false;
    if (!this.video.paused) this.video.pause();
    this.setTime(t);
    this.showFrame(this.frameAt(t));
  };

  // frameWidth is the frame width that fills the stage on this screen.
  Player.prototype.frameWidth = function () {
    var need = Math.ceil(this.img.clientWidth * (window.devicePixelRatio || 1));
    for (var i = 0; i < FRAME_WIDTHS.length; i++) {
      if (FRAME_WIDTHS[i] >= need) return Math.min(FRAME_WIDTHS[i], this.docWidth);
    }
    return Math.min(FRAME_WIDTHS[FRAME_WIDTHS.length - 1], this.docWidth);
  };

  // showFrame shows frame n. While a frame loads, only the latest wanted one is fetched next, so a fast
  // drag never queues up stale requests.
  Player.prototype.showFrame = function (n) {
    if (this.loading) { this.pending = n; return; }
    var self = this, t = n / this.fps, next = new Image();
    var src = this.frameURL + '?t=' + t + '&w=' + Math.max(16, this.frameWidth());
    this.loading = true;
    this.pending = null;
    next.onload = next.onerror = function (e) {
      self.loading = false;
      if (e.type === 'load') {
        self.img.src = src;
        self.img.alt = 'Frame at ' + clock(t) + ' of the video';
        self.img.setAttribute('data-t', String(t));
        self.shown = n;
        if (self.video.paused) self.showVideo(false);
      } else {
        self.note.textContent = 'The frame at ' + clock(t) + ' could not be drawn.';
      }
      if (self.pending !== null && self.pending !== n) self.showFrame(self.pending);
    };
    next.src = src;
  };

  Player.prototype.showVideo = function (on) { this.video.hidden = !on; };

  Player.prototype.setPlaying = function (on) {
    this.playButton.setAttribute('aria-label', on ? 'Pause' : 'Play');
    this.playButton.title = on ? 'Pause (space)' : 'Play (space)';
    this.playButton.firstChild.textContent = on ? '❚❚' : '▶';
  };

  // toggle pauses (showing the engine's frame where playback stopped) or plays.
  Player.prototype.toggle = function () {
    if (this.proxyError) return;
    if (!this.video.paused) { this.seek(this.video.currentTime); return; }
    if (!this.proxyReady) {
      this.wantPlay = !this.wantPlay;
      this.note.textContent = this.wantPlay ? 'Playback starts when the preview video is ready…' : 'Preparing playback…';
      return;
    }
    this.play();
  };

  Player.prototype.play = function () {
    var self = this, t = parseFloat(this.scrub.value);
    if (t >= this.duration - 1 / this.fps) t = 0;
    if (this.partial && t >= this.partialSeconds - 1 / this.fps) {
      this.wantPlay = true; // past the first seconds: wait for the whole proxy
      this.note.textContent = 'Playback starts here when the preview video is ready…';
      return;
    }
    this.wantPlay = false;
    this.video.currentTime = t;
    var p = this.video.play();
    if (p && p.catch) p.catch(function (err) {
      self.note.textContent = 'Playback could not start: ' + err.message;
    });
  };

  Player.prototype.useProxy = function (url) {
    if (this.partial && !this.video.paused) this.wantPlay = true; // go on where the first seconds are
    this.partial = false;
    this.proxyReady = true;
    this.video.preload = 'auto';
    this.video.src = url;
    this.playButton.disabled = false;
    this.note.className = 'proxy-note';
    this.note.textContent = '';
    if (this.wantPlay) this.play();
  };

  Player.prototype.proxyFailed = function (msg) {
    this.proxyError = msg;
    this.playButton.disabled = true;
    this.note.className = 'proxy-note error';
    this.note.textContent = 'Playback is unavailable: ' + msg + '. The scrubber still shows every frame.';
  };

  // usePartial plays the proxy's first seconds while the rest renders.
  Player.prototype.usePartial = function (url, seconds) {
    this.partial = true;
    this.partialSeconds = seconds;
    this.proxyReady = true;
    this.video.preload = 'auto';
    this.video.src = url;
    this.playButton.disabled = false;
    if (this.wantPlay) this.play();
  };

  // pollProxy shows the proxy's preparation until it is ready, asking the server to answer when something
  // changes (a long poll). Play may be pressed meanwhile; the first seconds play as soon as they are ready.
  Player.prototype.pollProxy = function (progress) {
    var self = this;
    this.playButton.disabled = false;
    if (!this.partial || this.video.paused) {
      this.note.textContent = 'Preparing playback… ' + Math.round(100 * progress) + '%' +
        (this.wantPlay ? ' (plays when ready)' : '');
    }
    getJSON(this.proxyURL + '?wait=1', function (st) {
      if (!st) return setTimeout(function () { self.pollProxy(progress); }, PROXY_POLL_MS);
      if (st.err) return self.proxyFailed(st.err);
      if (st.ready) return self.useProxy(st.url);
      if (st.partialUrl && !self.partial) self.usePartial(st.partialUrl, st.partialSeconds || 0);
      self.pollProxy(st.progress || 0);
    });
  };

  // Task follows a task page's state without reloading: progress while rendering, then the video or error.
  function Task(root) {
    this.root = root;
    this.url = root.dataset.statusUrl;
    this.state = $('task-state');
    this.bar = $('task-progress');
    this.error = $('task-error');
    this.status = root.dataset.status;
    if (this.status === 'created' || this.status === 'rendering') this.poll();
  }

  Task.prototype.poll = function () {
    var self = this;
    setTimeout(function () {
      getJSON(self.url, function (st) {
        if (st) self.update(st);
        if (!st || st.status === 'created' || st.status === 'rendering') self.poll();
      });
    }, this.status === 'rendering' ? TASK_POLL_MS : TASK_IDLE_POLL_MS);
  };

  Task.prototype.update = function (st) {
    var pct = Math.round(100 * Math.min(1, Math.max(0, st.progress || 0)));
    this.status = st.status;
    this.root.dataset.status = st.status;
    this.bar.hidden = st.status !== 'rendering';
    this.bar.value = pct;
    this.bar.textContent = pct + '%';
    this.state.textContent = {
      created: 'Not rendered yet', rendering: 'Rendering… ' + pct + '%', completed: 'Rendered', failed: 'The render failed'
    }[st.status] || st.status;
    if (st.status === 'failed') { this.error.textContent = st.error || ''; this.error.hidden = false; }
    if (st.status === 'completed' && st.videoUrl && !$('final')) this.showVideo(st);
  };

  // showVideo replaces the preview player with the rendered video.
  Task.prototype.showVideo = function (st) {
    var v = document.createElement('video');
    v.id = 'final';
    v.className = 'final';
    v.controls = true;
    v.playsInline = true;
    v.preload = 'metadata';
    if (st.thumbnailUrl) v.poster = st.thumbnailUrl;
    v.src = st.videoUrl;
    this.root.appendChild(v);
    var player = $('player');
    if (player) {
      var proxy = $('proxy');
      if (proxy) proxy.pause();
      player.remove();
    }
  };

  function setupCopy(button) {
    var status = $('copied');
    button.addEventListener('click', function () {
      var text = $(button.dataset.copy).textContent;
      function ok() { status.textContent = 'Copied'; setTimeout(function () { status.textContent = ''; }, 2000); }
      function fallback() {
        var area = document.createElement('textarea');
        area.value = text;
        document.body.appendChild(area);
        area.select();
        try { document.execCommand('copy'); ok(); } catch (e) { status.textContent = 'Select the text and copy it'; }
        area.remove();
        button.focus();
      }
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(ok, fallback);
      else fallback();
    });
  }

  function start() {
    var root = $('player'), task = $('task'), copy = $('copy');
    if (root) window.framecastPlayer = new Player(root);
    if (task) window.framecastTask = new Task(task);
    if (copy) setupCopy(copy);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
