// Plumberforce page: one WebSocket to the proxy, the conversation in localStorage.
// Model and user text only ever reach the DOM through textContent; the only HTML inserted is
// the answer the proxy rendered and sanitised (markdown-it with HTML off, safe links only).
"use strict";
(function () {
  const TEXTS = {
    en: {
      connecting: "Connecting…", connected: "Connected", reconnecting: "Reconnecting…",
      space_ready: "Online", space_degraded: "Slow", space_down: "Assistant offline",
      new_chat: "New conversation", send: "Send", stop: "Stop", placeholder: "Ask a Salesforce question…",
      question_label: "Your question", empty: "Ask about Apex, SOQL, Flows, LWC, governor limits…",
      thinking: "Thinking…", stopped: "Stopped.", interrupted: "Connection lost; the answer will reappear when it is back.",
      sources: "Sources", rate: "Rate this answer", comment: "Comment (optional)", rate_send: "Send rating",
      thanks: "Thanks for the feedback!", copy: "Copy", copied: "Copied", cached: "cached", offline_engine: "offline knowledge base",
      not_connected: "Not connected: the question was not sent. Reconnecting…",
      backend_unavailable: "The assistant is not reachable right now (it may be waking up). Try again shortly.",
      timeout: "No answer in time. Please try again.", busy: "Too busy right now; please retry in a moment.",
      rate_limited: "Too many messages; slow down.", error: "Something went wrong.",
      safety: "No answer arrived; you can ask again.", confirm_reset: "Start a new conversation? The current one will be deleted.",
    },
    it: {
      connecting: "Connessione…", connected: "Connesso", reconnecting: "Riconnessione…",
      space_ready: "Online", space_degraded: "Lento", space_down: "Assistente non raggiungibile",
      new_chat: "Nuova conversazione", send: "Invia", stop: "Ferma", placeholder: "Fai una domanda su Salesforce…",
      question_label: "La tua domanda", empty: "Chiedi di Apex, SOQL, Flow, LWC, governor limits…",
      thinking: "Sto pensando…", stopped: "Interrotto.", interrupted: "Connessione persa; la risposta ricomparirà al ritorno.",
      sources: "Fonti", rate: "Valuta questa risposta", comment: "Commento (facoltativo)", rate_send: "Invia valutazione",
      thanks: "Grazie del feedback!", copy: "Copia", copied: "Copiato", cached: "dalla cache", offline_engine: "base di conoscenza offline",
      not_connected: "Non connesso: la domanda non è stata inviata. Riconnessione…",
      backend_unavailable: "L'assistente non è raggiungibile ora (forse si sta avviando). Riprova tra poco.",
      timeout: "Nessuna risposta in tempo. Riprova.", busy: "Troppo carico ora; riprova tra un momento.",
      rate_limited: "Troppi messaggi; rallenta.", error: "Qualcosa è andato storto.",
      safety: "Nessuna risposta ricevuta; puoi chiedere di nuovo.", confirm_reset: "Iniziare una nuova conversazione? Quella attuale verrà cancellata.",
    },
  };
  const SAFETY_MS = 135000;          // the proxy's request timeout is 120 s: the input never stays locked
  const BACKOFF_MIN = 500, BACKOFF_MAX = 15000;
  const $ = (sel) => document.querySelector(sel);
  const store = {
    get(key, fallback) { try { const v = localStorage.getItem(key); return v === null ? fallback : JSON.parse(v); } catch (e) { return fallback; } },
    set(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full or disabled */ } },
  };

  function newClientId() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return "w-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  let clientId = store.get("pf.client_id", null);
  if (typeof clientId !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(clientId)) { clientId = newClientId(); store.set("pf.client_id", clientId); }
  const convKey = () => "pf.conversation." + clientId;
  let conversation = store.get(convKey(), []);
  if (!Array.isArray(conversation)) conversation = [];
  let lang = store.get("pf.lang", null) || ((navigator.language || "en").toLowerCase().startsWith("it") ? "it" : "en");

  let ws = null, attempts = 0, reconnectTimer = null, pending = null, seq = 0, safetyTimer = null, spaceStatus = "unknown";
  const t = (key) => (TEXTS[lang] && TEXTS[lang][key]) || TEXTS.en[key] || key;

  // ---- language -------------------------------------------------------------------------
  function applyLang() {
    document.documentElement.lang = lang;
    $("#lang").value = lang;
    document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll("[data-i18n-placeholder]").forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
    showStatus();
    render();
  }

  // ---- status ---------------------------------------------------------------------------
  function showStatus() {
    const state = document.body.dataset.ws;
    const badge = $("#status");
    let text = t(state === "open" ? "connected" : state), cls = "text-bg-secondary";
    if (state === "open") {
      cls = spaceStatus === "down" ? "text-bg-danger" : spaceStatus === "degraded" ? "text-bg-warning" : "text-bg-success";
      if (spaceStatus === "down" || spaceStatus === "degraded") text = t("space_" + spaceStatus);
    } else if (state === "reconnecting") { cls = "text-bg-warning"; }
    badge.className = "badge rounded-pill " + cls;
    $("#status-text").textContent = text;
  }
  function setWs(state) { document.body.dataset.ws = state; showStatus(); }
  async function pollStatus() {
    try {
      const r = await fetch("/status", { cache: "no-store" });
      const body = await r.json();
      spaceStatus = (body.space && body.space.status) || "unknown";
    } catch (e) { spaceStatus = "unknown"; }
    showStatus();
  }
  function alertMsg(text) {
    const box = $("#alert");
    box.textContent = text || "";
    box.classList.toggle("d-none", !text);
  }

  // ---- rendering --------------------------------------------------------------------------
  function save() { store.set(convKey(), conversation.slice(-100).map(({ node, ...rest }) => rest)); }

  function addCopyButtons(root) {
    root.querySelectorAll("pre").forEach((pre) => {
      const btn = document.createElement("button");
      btn.type = "button";
      btn.className = "btn btn-sm btn-outline-secondary copy-btn";
      btn.textContent = t("copy");
      btn.addEventListener("click", () => {
        const code = pre.querySelector("code");
        const text = (code || pre).innerText;
        const done = () => { btn.textContent = t("copied"); setTimeout(() => { btn.textContent = t("copy"); }, 1500); };
        if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, done);
        else {
          const area = document.createElement("textarea");
          area.value = text; document.body.appendChild(area); area.select();
          try { document.execCommand("copy"); } catch (e) { /* ignore */ }
          area.remove(); done();
        }
      });
      pre.appendChild(btn);
    });
  }

  function safeUrl(url) { return typeof url === "string" && /^https?:\/\//i.test(url); }

  function fillAssistant(node, m) {
    const answer = node.querySelector(".answer");
    node.dataset.state = m.state || "done";
    if (m.message_id) node.dataset.messageId = m.message_id;
    if (m.html && (m.state || "done") === "done") {
      answer.classList.remove("streaming");
      answer.innerHTML = m.html;                 // rendered and sanitised by the proxy
      addCopyButtons(answer);
    } else {
      answer.classList.add("streaming");
      answer.textContent = m.text || (m.state === "streaming" ? t("thinking") : "");
    }
    const note = node.querySelector(".answer-state");
    note.textContent = m.state === "error" ? (m.errorText || t("error")) : m.state === "stopped" ? t("stopped")
      : m.state === "interrupted" ? t("interrupted") : "";
    const list = node.querySelector(".sources");
    list.replaceChildren();
    (m.sources || []).forEach((s) => {
      if (!safeUrl(s.url)) return;
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = s.url; a.textContent = s.title || s.url; a.target = "_blank"; a.rel = "noopener noreferrer nofollow";
      li.appendChild(a); list.appendChild(li);
    });
    const meta = node.querySelector(".meta");
    const bits = [];
    if (m.engine === "offline") bits.push(t("offline_engine"));
    if (m.cached) bits.push(t("cached"));
    meta.textContent = bits.join(" · ");
    buildRating(node, m);
  }

  function buildRating(node, m) {
    const box = node.querySelector(".rating");
    const show = (m.state || "done") === "done" && !!m.message_id;
    box.classList.toggle("d-none", !show);
    if (!show) return;
    const stars = box.querySelector(".stars");
    if (!stars.childElementCount) {
      for (let i = 1; i <= 5; i++) {
        const b = document.createElement("button");
        b.type = "button"; b.className = "btn btn-outline-warning star"; b.dataset.value = String(i); b.textContent = "★";
        b.addEventListener("click", () => { box.dataset.rating = String(i); markStars(stars, i); });
        stars.appendChild(b);
      }
      box.querySelector(".rate-send").addEventListener("click", () => {
        const rating = Number(box.dataset.rating || 0);
        if (!rating) return;
        const comment = box.querySelector(".comment").value.slice(0, 1000);
        if (sendMsg({ type: "feedback", id: "f" + (++seq), message_id: node.dataset.messageId, rating: rating, comment: comment })) {
          box.querySelector(".rate-result").textContent = "…";
        } else alertMsg(t("not_connected"));
      });
    }
    stars.setAttribute("aria-label", t("rate"));
    stars.querySelectorAll(".star").forEach((b) => b.setAttribute("aria-label", t("rate") + ": " + b.dataset.value));
    box.querySelector(".comment").placeholder = t("comment");
    box.querySelector(".rate-send").textContent = t("rate_send");
    if (m.rating) { box.dataset.rating = String(m.rating); markStars(stars, m.rating); box.querySelector(".rate-result").textContent = t("thanks"); }
  }
  function markStars(stars, n) { stars.querySelectorAll(".star").forEach((b) => b.classList.toggle("active", Number(b.dataset.value) <= n)); }

  function nodeFor(m) {
    const tpl = $(m.role === "user" ? "#tpl-user" : "#tpl-assistant");
    const node = tpl.content.firstElementChild.cloneNode(true);
    if (m.role === "user") node.querySelector(".bubble").textContent = m.text || "";
    else fillAssistant(node, m);
    return node;
  }

  function render() {
    const box = $("#messages");
    box.querySelectorAll(".msg").forEach((n) => n.remove());
    $("#empty").classList.toggle("d-none", conversation.length > 0);
    conversation.forEach((m) => { const n = nodeFor(m); m.node = n; box.appendChild(n); });
    box.scrollTop = box.scrollHeight;
  }
  function append(m) {
    conversation.push(m);
    $("#empty").classList.add("d-none");
    const n = nodeFor(m); m.node = n;
    const box = $("#messages");
    box.appendChild(n);
    box.scrollTop = box.scrollHeight;
    return m;
  }

  // ---- input ------------------------------------------------------------------------------
  function lock(on) {
    $("#send").disabled = on;
    $("#stop").classList.toggle("d-none", !on);
    clearTimeout(safetyTimer);
    if (on) safetyTimer = setTimeout(() => {
      if (pending) { pending.state = "error"; pending.errorText = t("safety"); fillAssistant(pending.node, pending); pending = null; save(); }
      lock(false);
    }, SAFETY_MS);
  }
  function finishPending(update) {
    if (!pending) return;
    Object.assign(pending, update);
    fillAssistant(pending.node, pending);
    pending = null;
    save();
    lock(false);
  }

  function ask(text) {
    if (!ws || ws.readyState !== WebSocket.OPEN) { alertMsg(t("not_connected")); connectSoon(0); return; }
    alertMsg("");
    const id = "q" + Date.now().toString(36) + (++seq);
    append({ role: "user", text: text });
    pending = append({ role: "assistant", id: id, text: "", state: "streaming" });
    lock(true);
    save();
    sendMsg({ type: "query", id: id, text: text });
  }
  function sendMsg(obj) {
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(obj));
    return true;
  }

  // ---- socket -------------------------------------------------------------------------------
  function onMessage(ev) {
    let msg;
    try { msg = JSON.parse(ev.data); } catch (e) { return; }
    const mine = pending && msg.id === pending.id;
    switch (msg.type) {
      case "ack":
        if (msg.of === "feedback") {
          const m = conversation.find((x) => x.message_id === msg.message_id);
          if (m) { m.rating = Number(m.node && m.node.querySelector(".rating").dataset.rating) || m.rating; save(); if (m.node) m.node.querySelector(".rate-result").textContent = t("thanks"); }
        }
        break;
      case "delta":
        if (!mine) break;
        pending.text = msg.replace ? msg.text : pending.text + msg.text;
        const answer = pending.node.querySelector(".answer");
        if (msg.html) { answer.classList.remove("streaming"); answer.innerHTML = msg.html; }
        else { answer.classList.add("streaming"); answer.textContent = pending.text; }
        $("#messages").scrollTop = $("#messages").scrollHeight;
        break;
      case "done":
        if (!mine) break;
        finishPending({ state: "done", text: msg.text, html: msg.html, message_id: msg.message_id, sources: msg.sources,
          engine: msg.engine, cached: msg.cached, incomplete: msg.incomplete });
        break;
      case "error":
        if (mine) {
          finishPending(msg.code === "cancelled" ? { state: "stopped" } : { state: "error", errorText: t(msg.code) !== msg.code ? t(msg.code) : msg.message });
        } else if (msg.of === "feedback") {
          const m = conversation.find((x) => x.message_id === msg.message_id);
          if (m && m.node) m.node.querySelector(".rate-result").textContent = msg.message;
        } else if (msg.code === "backend_unavailable") { alertMsg(t("backend_unavailable")); spaceStatus = "down"; showStatus(); }
        else alertMsg(msg.message || t("error"));
        break;
      case "history":
        if (pending) break;               // never clobber an answer being streamed
        conversation = (msg.messages || []).map((m) => m.role === "user"
          ? { role: "user", text: m.content }
          : { role: "assistant", text: m.content, html: m.html, message_id: m.message_id, sources: m.sources,
              engine: m.engine, cached: m.cached, state: "done",
              rating: (conversation.find((x) => x.message_id && x.message_id === m.message_id) || {}).rating });
        save(); render();
        if (msg.source === "space") { alertMsg(""); if (spaceStatus === "down") { spaceStatus = "ready"; showStatus(); } }
        const box = $("#messages");
        box.dataset.syncs = String(Number(box.dataset.syncs || 0) + 1);
        box.dataset.source = msg.source || "";
        break;
      default: break;
    }
  }

  function connectSoon(delay) {
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(connect, delay);
  }
  function connect() {
    clearTimeout(reconnectTimer);
    if (ws && (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)) return;
    const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws/" + encodeURIComponent(clientId);
    let sock;
    try { sock = new WebSocket(url); } catch (e) { scheduleReconnect(); return; }
    ws = sock;
    sock.onopen = () => {
      attempts = 0;
      setWs("open");
      sendMsg({ type: "history" });        // re-sync after every (re)connect
      pollStatus();
    };
    sock.onmessage = onMessage;
    sock.onclose = () => {
      if (ws !== sock) return;
      ws = null;
      if (pending) finishPending({ state: "interrupted" });
      setWs("reconnecting");
      scheduleReconnect();
    };
    sock.onerror = () => { /* onclose follows */ };
  }
  function scheduleReconnect() {
    // exponential backoff with full jitter, capped, never giving up
    const cap = Math.min(BACKOFF_MAX, BACKOFF_MIN * Math.pow(2, attempts++));
    connectSoon(BACKOFF_MIN / 2 + Math.random() * cap);
  }

  // ---- wiring ---------------------------------------------------------------------------------
  document.addEventListener("DOMContentLoaded", () => {
    $("#ask").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const text = $("#question").value.trim();
      if (!text || pending) return;
      $("#question").value = "";
      ask(text);
    });
    $("#question").addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); $("#ask").requestSubmit(); }
    });
    $("#stop").addEventListener("click", () => { if (pending) sendMsg({ type: "cancel", id: pending.id }); });
    $("#new-chat").addEventListener("click", () => {
      if (pending) return;
      if (conversation.length && !window.confirm(t("confirm_reset"))) return;
      if (!sendMsg({ type: "reset", id: "r" + (++seq) })) { alertMsg(t("not_connected")); return; }
      conversation = []; save(); render();
    });
    $("#lang").addEventListener("change", (ev) => { lang = ev.target.value === "it" ? "it" : "en"; store.set("pf.lang", lang); applyLang(); });
    window.addEventListener("online", () => connectSoon(0));
    setInterval(pollStatus, 30000);
    applyLang();
    connect();
  });
})();
