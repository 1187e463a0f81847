// Plumberforce page: one WebSocket to the proxy; the client id, the conversation list and the
// current conversation in localStorage (the Space is the source of truth, re-synced on connect).
// Model and user text only ever reach the DOM through textContent; the only HTML inserted is
// the answer the proxy rendered and sanitised (markdown-it with HTML off, safe links only).
"use strict";
(function () {
  const TEXTS = window.PF_TEXTS;
  const SAFETY_MS = 135000;          // the proxy's request timeout is 120 s: the input never stays locked
  const BACKOFF_MIN = 500, BACKOFF_MAX = 15000;
  const DEFAULT_LIMITS = { max_question_chars: 4000, max_comment_chars: 1000 };
  const ID = /^[A-Za-z0-9_-]{1,64}$/;
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
  if (typeof clientId !== "string" || !ID.test(clientId)) { clientId = newClientId(); store.set("pf.client_id", clientId); }
  const convKey = () => "pf.conversation." + clientId;      // messages of the current conversation
  const listKey = () => "pf.conversations." + clientId;     // {current, conversations}
  let conversation = store.get(convKey(), []);
  if (!Array.isArray(conversation)) conversation = [];
  conversation.forEach((m) => { if (m.state === "streaming") m.state = "interrupted"; });
  let convs = store.get(listKey(), null);
  if (!convs || !Array.isArray(convs.conversations)) convs = { current: null, conversations: [] };
  const stored = store.get("pf.limits", {});
  const limits = {
    max_question_chars: Number(stored.max_question_chars) > 0 ? Number(stored.max_question_chars) : DEFAULT_LIMITS.max_question_chars,
    max_comment_chars: Number(stored.max_comment_chars) > 0 ? Number(stored.max_comment_chars) : DEFAULT_LIMITS.max_comment_chars,
  };
  let lang = store.get("pf.lang", null) || ((navigator.language || "en").toLowerCase().startsWith("it") ? "it" : "en");

  let ws = null, attempts = 0, reconnectTimer = null, pending = null, seq = 0, safetyTimer = null, spaceStatus = "unknown";
  let editing = null, listDirty = false;   // the conversation being renamed (the list waits while it is)
  let provisional = null;                  // the first question of a conversation, its title until the Space's list says
  function t(key, vars) {
    let text = (TEXTS[lang] && TEXTS[lang][key]) || TEXTS.en[key] || key;
    Object.entries(vars || {}).forEach(([k, v]) => { text = text.split("{" + k + "}").join(String(v)); });
    return text;
  }
  const nextId = (prefix) => prefix + Date.now().toString(36) + (++seq);

  // ---- language -------------------------------------------------------------------------
  function applyLang() {
    document.documentElement.lang = lang;
    $("#lang").value = lang;
    document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll("[data-i18n-placeholder]").forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
    document.querySelectorAll("[data-i18n-label]").forEach((el) => { el.setAttribute("aria-label", t(el.dataset.i18nLabel)); });
    showStatus();
    renderConvs();
    render();
    updateCounter();
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
  function errorText(msg) {
    if (msg.code === "too_long" && msg.limit) return t("too_long", { n: msg.length || "?", limit: msg.limit });
    if (msg.code === "busy" && msg.of && msg.of !== "query") return t("answering");
    return t(msg.code) !== msg.code ? t(msg.code) : (msg.message || t("error"));
  }

  // ---- conversations ----------------------------------------------------------------------
  function saveList() { store.set(listKey(), convs); }
  function describe(c) {
    const when = new Date((c.updated || c.created || 0) * 1000);
    const date = new Intl.DateTimeFormat(lang === "it" ? "it-IT" : "en-GB",
      { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }).format(when);
    const n = Number(c.message_count) || 0;
    return n ? date + " · " + (n === 1 ? t("one_message") : t("messages_count", { n: n })) : date;
  }
  function renderConvs() {
    if (editing) { listDirty = true; return; }
    listDirty = false;
    const list = $("#conversations");
    list.replaceChildren();
    let shown = convs.conversations.filter((c) => c && typeof c.conversation_id === "string");
    if (provisional) {   // a first question streams: its conversation shows under its title at once
      if (!convs.current) shown = [{ conversation_id: "", title: provisional, message_count: 0, updated: Date.now() / 1000 }, ...shown];
      else shown = shown.map((c) => c.conversation_id === convs.current && !c.title ? { ...c, title: provisional } : c);
    }
    $("#conv-empty").classList.toggle("d-none", shown.length > 0);
    shown.forEach((c) => {
      const li = $("#tpl-conv").content.firstElementChild.cloneNode(true);
      const title = c.title || t("untitled");
      const current = c.conversation_id === convs.current || !c.conversation_id;
      li.dataset.id = c.conversation_id;
      li.classList.toggle("active", current);
      const open = li.querySelector(".conv-open");
      if (current) open.setAttribute("aria-current", "true");
      li.querySelector(".conv-title").textContent = title;
      li.querySelector(".conv-when").textContent = describe(c);
      open.title = title;
      li.querySelector(".conv-menu").setAttribute("aria-label", t("actions", { title: title }));
      li.querySelector(".conv-rename").textContent = t("rename");
      li.querySelector(".conv-download").textContent = t("download");
      li.querySelector(".conv-delete").textContent = t("delete");
      list.appendChild(li);
      if (!c.conversation_id) { li.querySelector(".dropdown").classList.add("invisible"); return; }
      open.addEventListener("click", () => switchTo(c.conversation_id));
      li.querySelector(".conv-rename").addEventListener("click", () => startRename(li, c));
      li.querySelector(".conv-download").addEventListener("click", () => request({ type: "export", id: nextId("e"), conversation_id: c.conversation_id, format: "markdown" }));
      li.querySelector(".conv-delete").addEventListener("click", () => deleteConversation(c, title));
    });
  }
  function request(message) {
    if (sendMsg(message)) return true;
    alertMsg(t("not_connected"));
    connectSoon(0);
    return false;
  }
  function closeDrawer() {
    const drawer = window.bootstrap && window.bootstrap.Offcanvas.getInstance($("#sidebar"));
    if (drawer) drawer.hide();
  }
  function busyAnswering() {
    if (!pending) return false;
    alertMsg(t("answering"));
    return true;
  }
  function switchTo(conversationId) {
    if (conversationId === convs.current) { closeDrawer(); return; }
    if (busyAnswering()) return;
    if (!request({ type: "switch", id: nextId("s"), conversation_id: conversationId })) return;
    $("#messages").setAttribute("aria-busy", "true");
    closeDrawer();
  }
  function newConversation() {
    if (busyAnswering()) return;
    closeDrawer();
    const current = convs.conversations.find((c) => c.conversation_id === convs.current);
    const empty = conversation.length === 0 && (!convs.current || (current && !current.message_count));
    if (empty) { $("#question").focus(); return; }   // already in a new conversation
    if (request({ type: "new_conversation", id: nextId("n") })) $("#question").focus();
  }
  function deleteConversation(c, title) {
    if (busyAnswering()) return;
    if (!window.confirm(t("confirm_delete", { title: title }))) return;
    request({ type: "delete_conversation", id: nextId("d"), conversation_id: c.conversation_id });
  }
  function startRename(li, c) {
    if (editing) return;
    const input = li.querySelector(".conv-title-input"), open = li.querySelector(".conv-open");
    input.value = c.title || "";
    input.setAttribute("aria-label", t("title_label"));
    open.classList.add("d-none");
    input.classList.remove("d-none");
    editing = c.conversation_id;
    let over = false;
    const finish = (keep) => {
      if (over) return;
      over = true;
      editing = null;
      const title = input.value.trim();
      if (keep && title && title !== c.title && request({ type: "rename", id: nextId("r"), conversation_id: c.conversation_id, title: title })) {
        c.title = title;                 // shown at once; the Space's list follows
      }
      renderConvs();
    };
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") { ev.preventDefault(); finish(true); }
      else if (ev.key === "Escape") { ev.preventDefault(); finish(false); }
    });
    input.addEventListener("blur", () => finish(true));
    input.focus();
    input.select();
  }
  function download(msg) {
    const blob = new Blob([msg.content], { type: (msg.media_type || "text/plain") + ";charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = msg.filename || "plumberforce.md";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  // ---- rendering the conversation ---------------------------------------------------------
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
  // Sources the answer does not already cite: an answer that lists its sources shows them once.
  function extraSources(m) {
    const text = m.text || "";
    return (m.sources || []).filter((s) => s && safeUrl(s.url) && !text.includes(s.url));
  }

  function paintAnswer(node, m) {
    const answer = node.querySelector(".answer");
    if (m.html) {
      answer.classList.remove("plain");
      answer.innerHTML = m.html;                 // rendered and sanitised by the proxy
    } else {
      answer.classList.add("plain");
      answer.textContent = m.text || "";
    }
  }

  function fillAssistant(node, m) {
    const state = m.state || "done";
    node.dataset.state = state;
    if (m.message_id) node.dataset.messageId = m.message_id;
    paintAnswer(node, m);
    if (state === "done") addCopyButtons(node.querySelector(".answer"));
    const note = node.querySelector(".answer-state");
    note.textContent = state === "streaming" ? t(m.text ? "writing" : "thinking")
      : state === "error" ? (m.errorText || t("error")) : state === "stopped" ? t("stopped")
      : state === "interrupted" ? t("interrupted") : "";
    const extra = state === "streaming" ? [] : extraSources(m);
    const list = node.querySelector(".sources");
    list.replaceChildren();
    extra.forEach((s) => {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = s.url; a.textContent = s.title || s.url; a.target = "_blank"; a.rel = "noopener noreferrer nofollow";
      li.appendChild(a); list.appendChild(li);
    });
    node.querySelector(".sources-label").textContent = t("sources");
    node.querySelector(".sources-box").classList.toggle("d-none", extra.length === 0);
    const bits = [];
    if (m.engine === "offline") bits.push(t("offline_engine"));
    if (m.cached) bits.push(t("cached"));
    if (m.regenerated) bits.push(t("regenerated"));
    node.querySelector(".meta").textContent = bits.join(" · ");
    const regen = node.querySelector(".regenerate");
    regen.querySelector(".regenerate-label").textContent = t("regenerate");
    regen.onclick = () => regenerate(m);
    const again = node.querySelector(".ask-again");
    again.querySelector(".ask-again-label").textContent = t("ask_again");
    again.onclick = () => askAgain(m);
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
        const comment = box.querySelector(".comment").value.slice(0, limits.max_comment_chars);
        if (sendMsg({ type: "feedback", id: nextId("f"), message_id: node.dataset.messageId, rating: rating, comment: comment })) {
          box.querySelector(".rate-result").textContent = "…";
        } else alertMsg(t("not_connected"));
      });
    }
    stars.setAttribute("aria-label", t("rate"));
    stars.querySelectorAll(".star").forEach((b) => b.setAttribute("aria-label", t("rate") + ": " + b.dataset.value));
    const comment = box.querySelector(".comment");
    comment.placeholder = t("comment");
    comment.maxLength = limits.max_comment_chars;
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
  // Regenerate: on the last answer only, once it is complete, while nothing streams.
  function updateRegenerate() {
    const last = [...conversation].reverse().find((m) => m.role === "assistant");
    conversation.forEach((m) => {
      if (m.role !== "assistant" || !m.node) return;
      const show = m === last && !pending && (m.state || "done") === "done";
      m.node.querySelector(".regenerate").classList.toggle("d-none", !show);
      const again = m === last && !pending && m.state === "error" && m.retry && typeof m.question === "string";
      m.node.querySelector(".ask-again").classList.toggle("d-none", !again);
    });
  }
  // Follow a streaming answer while the person is at the bottom; scrolling up stops following.
  function atEnd() { const box = $("#messages"); return box.scrollHeight - box.scrollTop - box.clientHeight < 80; }
  function scrollToEnd(follow) { if (follow) { const box = $("#messages"); box.scrollTop = box.scrollHeight; } }
  function render() {
    const box = $("#messages");
    box.querySelectorAll(".msg").forEach((n) => n.remove());
    $("#empty").classList.toggle("d-none", conversation.length > 0);
    conversation.forEach((m) => { const n = nodeFor(m); m.node = n; box.appendChild(n); });
    updateRegenerate();
    scrollToEnd(true);
  }
  function append(m) {
    conversation.push(m);
    $("#empty").classList.add("d-none");
    const n = nodeFor(m); m.node = n;
    $("#messages").appendChild(n);
    scrollToEnd(true);
    return m;
  }
  function repaint(m) {
    const n = nodeFor(m);
    if (m.node) m.node.replaceWith(n);
    m.node = n;
  }

  // ---- input ------------------------------------------------------------------------------
  const questionLength = () => Array.from($("#question").value.trim()).length;
  function questionError(text) {
    const box = $("#question-error");
    box.textContent = text || "";
    box.classList.toggle("d-none", !text);
    $("#hint").classList.toggle("d-none", !!text);
  }
  function updateCounter() {
    const n = questionLength(), limit = limits.max_question_chars;
    const counter = $("#counter");
    counter.textContent = n + " / " + limit;
    counter.classList.toggle("over", n > limit);
    $("#question").classList.toggle("is-invalid", n > limit);
    if (n <= limit && n > 0) questionError("");
  }
  function lock(on) {
    $("#send").disabled = on;
    $("#stop").classList.toggle("d-none", !on);
    document.body.dataset.answering = on ? "1" : "0";
    $("#new-chat").disabled = on;
    $("#new-chat-top").disabled = on;
    clearTimeout(safetyTimer);
    if (on) safetyTimer = setTimeout(() => {
      if (pending) { pending.state = "error"; pending.errorText = t("safety"); fillAssistant(pending.node, pending); pending = null; save(); }
      lock(false);
      updateRegenerate();
    }, SAFETY_MS);
  }
  function finishPending(update) {
    if (!pending) return null;
    const m = pending;
    Object.assign(m, update);
    pending = null;
    if (provisional && m.state !== "done") { provisional = null; renderConvs(); }   // done: until the Space's list
    repaint(m);
    save();
    lock(false);
    updateRegenerate();
    return m;
  }

  function ask(text) {
    const id = nextId("q");
    if (!sendMsg({ type: "query", id: id, text: text })) return false;
    alertMsg("");
    append({ role: "user", text: text });
    pending = append({ role: "assistant", id: id, text: "", state: "streaming", question: text });
    if (!conversation.some((m) => m.role === "assistant" && m !== pending)) {
      provisional = text.split(/\s+/).join(" ");   // the Space titles a conversation with its first question
      renderConvs();
    }
    return true;
  }
  function regenerate(m) {
    if (pending || m.role !== "assistant") return;
    const id = nextId("g");
    const message = { type: "regenerate", id: id };
    if (convs.current) message.conversation_id = convs.current;
    if (!request(message)) return;
    alertMsg("");
    Object.assign(m, { id: id, kind: "regenerate", text: "", html: null, state: "streaming", message_id: null,
      sources: [], rating: undefined, cached: false, regenerated: false, errorText: undefined });
    pending = m;
    repaint(m);
    lock(true);
    updateRegenerate();
  }
  // Ask again: the question whose answer the Space lost (backend_unavailable) is sent once more;
  // the Space never stored that turn, so its question and error leave the conversation.
  function askAgain(m) {
    if (pending || m.state !== "error" || typeof m.question !== "string") return;
    const i = conversation.indexOf(m);
    const gone = i > 0 && conversation[i - 1].role === "user" ? [conversation[i - 1], m] : [m];
    if (!ws || ws.readyState !== WebSocket.OPEN) { alertMsg(t("not_connected")); connectSoon(0); return; }
    gone.forEach((x) => { if (x.node) x.node.remove(); });
    conversation = conversation.filter((x) => !gone.includes(x));
    ask(m.question);
    lock(true);
    updateRegenerate();
    save();
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
      case "delta": {
        if (!mine) break;
        const follow = atEnd();
        pending.text = msg.replace ? msg.text : pending.text + msg.text;
        const answer = pending.node.querySelector(".answer");
        const rendered = typeof msg.html === "string" ? msg.html       // rendered by the proxy, a few times a second
          : typeof msg.html_tail === "string" ? (pending.html || "").slice(0, msg.html_keep || 0) + msg.html_tail : null;
        if (rendered !== null) {
          pending.html = rendered;
          answer.classList.remove("plain");
          answer.innerHTML = rendered;
        } else if (!pending.html) {              // a proxy that renders only at the end
          answer.classList.add("plain");
          answer.textContent = pending.text;
        }
        pending.node.querySelector(".answer-state").textContent = t("writing");
        scrollToEnd(follow);
        break;
      }
      case "done": {
        if (!mine) break;
        const follow = atEnd();
        finishPending({ state: "done", text: msg.text, html: msg.html, message_id: msg.message_id, sources: msg.sources,
          engine: msg.engine, cached: msg.cached, incomplete: msg.incomplete, regenerated: !!msg.regenerated });
        if (msg.conversation_id) { convs.current = msg.conversation_id; saveList(); }
        sendMsg({ type: "conversations" });     // titles, order and counts after this turn
        scrollToEnd(follow);
        break;
      }
      case "error":
        if (mine) {
          const regenerating = pending.kind === "regenerate";
          if (msg.code === "too_long" && msg.limit) setLimits({ max_question_chars: msg.limit });
          const lost = msg.code === "backend_unavailable";   // nothing stored: asking again is safe
          finishPending(msg.code === "cancelled" ? { state: "stopped" }
            : { state: "error", errorText: lost && pending.text ? t("backend_lost") : errorText(msg), retry: lost && !regenerating });
          if (regenerating) {               // the Space keeps the last answer it has: show it
            if (msg.code !== "cancelled") alertMsg(errorText(msg));
            sendMsg({ type: "history" });
          }
        } else if (msg.of === "feedback") {
          const m = conversation.find((x) => x.message_id === msg.message_id);
          if (m && m.node) m.node.querySelector(".rate-result").textContent = msg.message;
        } else if (msg.code === "backend_unavailable") { alertMsg(t("backend_unavailable")); spaceStatus = "down"; showStatus(); }
        else {
          alertMsg(errorText(msg));
          $("#messages").removeAttribute("aria-busy");
        }
        break;
      case "history": {
        if (pending) break;               // never clobber an answer being streamed
        if (msg.conversation_id) { convs.current = msg.conversation_id; saveList(); renderConvs(); }
        conversation = (msg.messages || []).map((m) => m.role === "user"
          ? { role: "user", text: m.content }
          : { role: "assistant", text: m.content, html: m.html, message_id: m.message_id, sources: m.sources,
              engine: m.engine, cached: m.cached, state: "done",
              rating: (conversation.find((x) => x.message_id && x.message_id === m.message_id) || {}).rating });
        save(); render();
        if (msg.source === "space") { alertMsg(""); if (spaceStatus === "down") { spaceStatus = "ready"; showStatus(); } }
        const box = $("#messages");
        box.removeAttribute("aria-busy");
        box.dataset.syncs = String(Number(box.dataset.syncs || 0) + 1);
        box.dataset.source = msg.source || "";
        break;
      }
      case "conversations": {
        const before = convs.current;
        convs = { current: msg.current || null, conversations: Array.isArray(msg.conversations) ? msg.conversations : [] };
        if (!pending) provisional = null;
        saveList();
        renderConvs();
        const list = $("#conversations");
        list.dataset.syncs = String(Number(list.dataset.syncs || 0) + 1);
        // another tab or door changed the current conversation: show the one the Space has
        if (msg.of === "conversations" && before && convs.current !== before && !pending) sendMsg({ type: "history" });
        break;
      }
      case "export":
        download(msg);
        break;
      case "limits":
        setLimits(msg);
        break;
      default: break;
    }
  }
  function setLimits(given) {
    ["max_question_chars", "max_comment_chars"].forEach((key) => {
      if (Number(given[key]) > 0) limits[key] = Number(given[key]);
    });
    store.set("pf.limits", limits);
    updateCounter();
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
      sendMsg({ type: "limits" });
      sendMsg({ type: "conversations" });   // re-sync after every (re)connect
      sendMsg({ type: "history" });
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
      if (pending) return;
      const text = $("#question").value.trim();
      const n = Array.from(text).length;
      if (!n) { questionError(t("blank")); return; }
      if (n > limits.max_question_chars) {   // refused here: nothing is sent, the text stays
        questionError(t("too_long", { n: n, limit: limits.max_question_chars }));
        $("#question").focus();
        return;
      }
      if (!ask(text)) { alertMsg(t("not_connected")); connectSoon(0); return; }
      lock(true);
      updateRegenerate();
      save();
      $("#question").value = "";
      questionError("");
      updateCounter();
    });
    $("#question").addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); $("#ask").requestSubmit(); }
    });
    $("#question").addEventListener("input", updateCounter);
    $("#stop").addEventListener("click", () => { if (pending) sendMsg({ type: "cancel", id: pending.id }); });
    $("#new-chat").addEventListener("click", newConversation);
    $("#new-chat-top").addEventListener("click", newConversation);
    $("#lang").addEventListener("change", (ev) => { lang = ev.target.value === "it" ? "it" : "en"; store.set("pf.lang", lang); applyLang(); });
    window.addEventListener("online", () => connectSoon(0));
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") sendMsg({ type: "conversations" });
    });
    setInterval(pollStatus, 30000);
    applyLang();
    connect();
  });
})();
