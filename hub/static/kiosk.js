// The kiosk at the entrance: scan (keyboard-wedge scanner, typed code, camera), walk-ins,
// Dutch/English, nothing personal on screen after 8 s, "still there?" before an idle reset,
// and an "unreachable" notice that goes away by itself when the hub answers again.
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("kiosk-config").textContent);
  var KEY = "hubKioskCredential";
  var lang = "nl";
  var screen = null;
  var resultTimer = null;
  var lastActivity = Date.now();
  var idleLeft = 0;
  var idleTimer = null;
  var online = true;
  var wedge = { text: "", last: 0 };
  var camera = { stream: null, detector: null, timer: null };
  var $ = function (id) { return document.getElementById(id); };

  // --- words -------------------------------------------------------------------------------
  function t(key, params) {
    var text = (cfg.text[lang] || cfg.text.nl)[key] || key;
    Object.keys(params || {}).forEach(function (name) {
      text = text.split("%(" + name + ")s").join(params[name]);
    });
    return text;
  }
  function applyLanguage() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-t]").forEach(function (el) {
      el.textContent = t(el.getAttribute("data-t"));
    });
    document.querySelectorAll(".k-lang-btn").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-lang") === lang));
    });
    if (screen === "walkin") { fillOrganisationPrompt(); }
  }
  function localTime(iso) {
    // "2026-03-30T10:15:00+02:00" -> "10:15" (the hub sends the building's local time).
    return iso ? iso.substring(11, 16) : "";
  }

  // --- the hub -----------------------------------------------------------------------------
  function credential() { return window.localStorage.getItem(KEY); }
  function call(method, url, body) {
    var options = { method: method, headers: { "Authorization": "Bearer " + credential(),
                                               "Accept": "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      if (response.status >= 500) { throw new Error("hub " + response.status); }
      setOnline(true);
      if (response.status === 401) { forget(); throw new Error("not enrolled"); }
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }, function (error) { setOnline(false); throw error; });
  }
  function setOnline(value) {
    online = value;
    $("k-offline").hidden = value;
  }
  function heartbeat() {
    if (!credential()) { return; }
    call("GET", cfg.api.status).catch(function () { /* the banner says it */ });
  }
  function forget() {
    window.localStorage.removeItem(KEY);
    show("setup");
  }

  // --- screens -----------------------------------------------------------------------------
  function show(name) {
    screen = name;
    ["setup", "home", "result", "walkin"].forEach(function (s) { $("k-" + s).hidden = s !== name; });
    if (name === "home") { $("k-code").focus(); }
    if (name === "setup") { $("k-credential").focus(); }
  }
  function clearPersonal() {
    // Nothing personal stays in the page: the result, the typed code, the walk-in form.
    clearTimeout(resultTimer);
    ["k-result-title", "k-result-text", "k-result-more", "k-walkin-msg"].forEach(function (id) {
      $(id).textContent = "";
    });
    $("k-plan").hidden = true;
    $("k-plan-img").removeAttribute("src");
    $("k-code").value = "";
    $("k-name").value = "";
    $("k-org").value = "";
    $("k-place-list").textContent = "";
    $("k-walkin-error").hidden = true;
    $("k-result-box").className = "k-result";
  }
  function home() {
    clearPersonal();
    hideIdle();
    stopCamera();
    show(credential() ? "home" : "setup");
  }
  function resetAll() {
    lang = "nl";
    applyLanguage();
    home();
  }

  // --- scanning ----------------------------------------------------------------------------
  function scan(text) {
    var code = (text || "").trim();
    if (code.length < 4) { return; }
    stopCamera();
    clearPersonal();
    showResult("busy", t("busy"), "", "");
    call("POST", cfg.api.scan, { code: code }).then(function (answer) {
      if (answer.status === 429) {
        var wait = ((answer.data.error || {}).details || {}).retry_after_s || 60;
        return showResult("bad", t("rate_limited", { s: wait }), "", "");
      }
      if (answer.status !== 200) { return showResult("bad", t("error"), "", ""); }
      render(answer.data);
    }).catch(function () { showResult("bad", t("offline"), "", ""); });
  }
  function render(data) {
    var b = data.booking || {};
    var place = b.resource || {};
    var names = { name: b.first_name || "", org: (b.organisation || {}).name || "" };
    var where = place.name ? t("go_to", { place: place.name, floor: place.floor.name }) : "";
    if (data.result === "checked_in") {
      showResult("good", t("checked_in", names), where, t("until", { time: localTime(b.end_local) }));
      showPlan(place);
    } else if (data.result === "already_checked_in") {
      showResult("good", t("already_checked_in", names), where, "");
      showPlan(place);
    } else if (data.result === "too_early") {
      showResult("wait", t("too_early", { time: localTime(data.opens_at_local) }),
                 t("too_early_place", { place: place.name, floor: place.floor.name,
                                        time: localTime(b.start_local) }), "");
    } else {
      showResult("bad", t(data.result), "", "");
    }
  }
  function showResult(kind, title, text, more) {
    $("k-result-box").className = "k-result k-" + kind;
    $("k-result-title").textContent = title;
    $("k-result-text").textContent = text;
    $("k-result-more").textContent = more;
    show("result");
    // The result takes focus: a screen reader reads it, and the next scan still reaches onKey.
    $("k-result-title").setAttribute("tabindex", "-1");
    $("k-result-title").focus();
    clearTimeout(resultTimer);
    if (kind !== "busy") { resultTimer = setTimeout(home, cfg.result_ms); }
  }
  function showPlan(place) {
    if (!place.plan) { return; }
    fetch(place.plan.url, { headers: { "Authorization": "Bearer " + credential() } })
      .then(function (r) { if (!r.ok) { throw new Error("no plan"); } return r.blob(); })
      .then(function (blob) {
        if (screen !== "result") { return; }
        $("k-plan-img").src = URL.createObjectURL(blob);
        $("k-plan-img").alt = t("plan_alt", { floor: place.floor.name });
        $("k-plan-marker").style.left = place.plan.x + "%";
        $("k-plan-marker").style.top = place.plan.y + "%";
        $("k-plan").hidden = false;
      }).catch(function () { /* the words say where to go */ });
  }

  // A keyboard-wedge scanner types the URL and Enter within milliseconds. Typed into the code
  // field it is an ordinary submit; anywhere else the burst is collected here.
  function onKey(event) {
    activity();
    var target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "SELECT" ||
                   target.tagName === "TEXTAREA")) { return; }
    var now = Date.now();
    if (now - wedge.last > 300) { wedge.text = ""; }
    wedge.last = now;
    if (event.key === "Enter") {
      if (wedge.text.length >= 4) { event.preventDefault(); scan(wedge.text); }
      wedge.text = "";
    } else if (event.key.length === 1) {
      wedge.text += event.key;
    }
  }

  // --- camera ------------------------------------------------------------------------------
  function detector() {
    if (camera.detector) { return Promise.resolve(camera.detector); }
    var make = function (Impl) { camera.detector = new Impl({ formats: ["qr_code"] }); return camera.detector; };
    var fallback = function () {
      var api = window.BarcodeDetectionAPI;
      // Load the decoder's .wasm from the hub itself, never from a CDN.
      api.prepareZXingModule({ overrides: { locateFile: function (path, prefix) {
        return path.endsWith(".wasm") ? cfg.wasm_url : prefix + path; } } });
      return make(api.BarcodeDetector);
    };
    if ("BarcodeDetector" in window && window.BarcodeDetector.getSupportedFormats) {
      return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        return formats.indexOf("qr_code") >= 0 ? make(window.BarcodeDetector) : fallback();
      }, fallback);
    }
    return Promise.resolve(fallback());
  }
  function startCamera() {
    if (camera.stream) { return stopCamera(); }
    $("k-camera").hidden = false;
    $("k-camera-error").hidden = true;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return cameraFailed(); }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      camera.stream = stream;
      $("k-video").srcObject = stream;
      $("k-video").play();
      $("k-camera-btn").textContent = t("camera_stop");
      return detector().then(look);
    }).catch(cameraFailed);
  }
  function look() {
    if (!camera.stream) { return; }
    camera.detector.detect($("k-video")).then(function (codes) {
      if (codes.length) { scan(codes[0].rawValue); return; }
      camera.timer = setTimeout(look, 250);
    }, function () { camera.timer = setTimeout(look, 500); });
  }
  function cameraFailed() {
    stopCamera();
    $("k-camera").hidden = false;
    $("k-camera-error").hidden = false;
  }
  function stopCamera() {
    clearTimeout(camera.timer);
    if (camera.stream) { camera.stream.getTracks().forEach(function (track) { track.stop(); }); }
    camera.stream = null;
    $("k-video").srcObject = null;
    $("k-camera").hidden = true;
    $("k-camera-btn").textContent = t("camera");
  }

  // --- walk-ins ----------------------------------------------------------------------------
  var organisations = [];
  function fillOrganisationPrompt() {
    var first = $("k-org").querySelector("option[value='']");
    if (first) { first.textContent = t("walk_in_org_choose"); }
  }
  function walkIn() {
    clearPersonal();
    show("walkin");
    call("GET", cfg.api.walk_in).then(function (answer) {
      var data = answer.data;
      organisations = data.organisations || [];
      var select = $("k-org");
      select.textContent = "";
      select.appendChild(new Option(t("walk_in_org_choose"), ""));
      organisations.forEach(function (o) { select.appendChild(new Option(o.name, o.slug)); });
      if (!data.open) { $("k-walkin-msg").textContent = t("walk_in_closed"); return; }
      if (!data.places.length) { $("k-walkin-msg").textContent = t("walk_in_none"); return; }
      data.places.forEach(function (p, i) {
        var label = document.createElement("label");
        label.className = "k-place";
        var input = document.createElement("input");
        input.type = "radio"; input.name = "resource"; input.value = p.slug; input.required = true;
        if (i === 0) { input.checked = true; }
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + p.name + " · " + p.floor.name));
        $("k-place-list").appendChild(label);
      });
      $("k-walkin-msg").textContent = t("walk_in_until", { time: localTime(data.until_local) });
    }).catch(function () { $("k-walkin-msg").textContent = t("offline"); });
  }
  function submitWalkIn(event) {
    event.preventDefault();
    var chosen = document.querySelector("input[name=resource]:checked");
    var body = { first_name: $("k-name").value, organisation: $("k-org").value,
                 resource: chosen ? chosen.value : null };
    call("POST", cfg.api.walk_in, body).then(function (answer) {
      if (answer.status === 201) {
        var b = answer.data.booking;
        clearPersonal();
        showResult("good", t("walk_in_done", { name: b.first_name, org: b.organisation.name,
                                                place: b.resource.name, floor: b.resource.floor.name }),
                   "", t("walk_in_until", { time: localTime(b.end_local) }));
        showPlan(b.resource);
        return;
      }
      var error = (answer.data && answer.data.error) || {};
      $("k-walkin-error").textContent = error.message || t("error");
      $("k-walkin-error").hidden = false;
    }).catch(function () {
      $("k-walkin-error").textContent = t("offline");
      $("k-walkin-error").hidden = false;
    });
  }

  // --- idle --------------------------------------------------------------------------------
  function activity() { lastActivity = Date.now(); }
  function somethingOpen() {
    return screen === "walkin" || (screen === "home" && ($("k-code").value || camera.stream));
  }
  function tick() {
    var clock = new Date();
    $("k-clock").textContent = ("0" + clock.getHours()).slice(-2) + ":" + ("0" + clock.getMinutes()).slice(-2);
    if (!$("k-idle").hidden || !somethingOpen()) { return; }
    if (Date.now() - lastActivity > cfg.idle_ms) { showIdle(); }
  }
  function showIdle() {
    idleLeft = cfg.idle_grace_s;
    $("k-idle").hidden = false;
    $("k-idle-more").focus();
    countDown();
  }
  function countDown() {
    $("k-idle-text").textContent = t("reset_in", { s: idleLeft });
    if (idleLeft <= 0) { return resetAll(); }
    idleLeft -= 1;
    idleTimer = setTimeout(countDown, 1000);
  }
  function hideIdle() {
    clearTimeout(idleTimer);
    $("k-idle").hidden = true;
    activity();
  }

  // --- start -------------------------------------------------------------------------------
  function enrol(event) {
    event.preventDefault();
    window.localStorage.setItem(KEY, $("k-credential").value.trim());
    $("k-credential").value = "";
    call("GET", cfg.api.status).then(function (answer) {
      if (answer.status === 200) { $("k-setup-error").hidden = true; home(); }
    }).catch(function () { $("k-setup-error").hidden = false; show("setup"); });
  }
  function takeCredentialFromUrl() {
    // Enrolment link: /kiosk#credential=...; the fragment never reaches a server log.
    var match = /credential=([^&]+)/.exec(window.location.hash);
    if (match) {
      window.localStorage.setItem(KEY, decodeURIComponent(match[1]));
      history.replaceState(null, "", window.location.pathname);
    }
  }
  document.addEventListener("keydown", onKey, true);
  document.addEventListener("pointerdown", activity, true);
  document.addEventListener("input", activity, true);
  document.querySelectorAll(".k-lang-btn").forEach(function (b) {
    b.addEventListener("click", function () { lang = b.getAttribute("data-lang"); applyLanguage(); });
  });
  document.querySelectorAll(".k-back").forEach(function (b) { b.addEventListener("click", home); });
  $("k-code-form").addEventListener("submit", function (e) { e.preventDefault(); scan($("k-code").value); });
  $("k-walkin-form").addEventListener("submit", submitWalkIn);
  $("k-walkin-btn").addEventListener("click", walkIn);
  $("k-camera-btn").addEventListener("click", startCamera);
  $("k-idle-more").addEventListener("click", function () { hideIdle(); if (screen === "home") { $("k-code").focus(); } });
  $("k-setup-form").addEventListener("submit", enrol);
  takeCredentialFromUrl();
  applyLanguage();
  home();
  heartbeat();
  setInterval(heartbeat, cfg.heartbeat_ms);
  setInterval(tick, 1000);
  tick();
  window.hubKiosk = { scan: scan, reset: resetAll, online: function () { return online; } };
})();
