/* conflictlens dashboard: map, timeline, event evidence, quotes and actor network.
 * Plain ES2017, no build step.  Talks only to this server's /api (see docs/api.md).
 * Every value from the database is inserted as text (never as HTML).
 */
(function () {
  "use strict";

  var TYPE_COLOURS = {
    "Battles": "#c1121f",
    "Explosions/Remote violence": "#f77f00",
    "Violence against civilians": "#7b2cbf",
    "Protests": "#2b9348",
    "Riots": "#e9c46a",
    "Strategic developments": "#1d6fb8"
  };
  var INTER_COLOURS = ["#999", "#1d6fb8", "#c1121f", "#f77f00", "#7b2cbf", "#e9c46a", "#2b9348", "#555", "#0096c7"];
  var FILTER_KEYS = ["since", "until", "country", "type", "actor", "q"];

  var state = { filters: {}, event: null, tab: "event" };
  var map, cluster, dashboard = window.conflictlens = { ready: false, markers: 0 };

  // --- small helpers ------------------------------------------------------------------

  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === "text") el.textContent = v;
        else if (k === "cls") el.className = v;
        else if (k.slice(0, 2) === "on") el.addEventListener(k.slice(2), v);
        else if (k === "style") el.setAttribute("style", v);
        else el.setAttribute(k, v);
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === false) continue;
      if (Array.isArray(c)) c.forEach(function (x) { if (x) el.appendChild(typeof x === "string" ? document.createTextNode(x) : x); });
      else el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return el;
  }

  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }
  function colour(type) { return TYPE_COLOURS[type] || "#555"; }

  function qs(extra) {
    var p = new URLSearchParams();
    FILTER_KEYS.forEach(function (k) { if (state.filters[k]) p.set(k, state.filters[k]); });
    Object.keys(extra || {}).forEach(function (k) { p.set(k, extra[k]); });
    return p.toString();
  }

  function api(path) {
    return fetch(path, { headers: { "Accept": "application/json" } }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error((body.error && body.error.message) || ("HTTP " + r.status));
        return body;
      });
    });
  }

  function showError(err) {
    var s = document.getElementById("summary");
    s.textContent = "Error: " + (err && err.message ? err.message : String(err));
    if (window.console) console.error(err);
  }

  // --- URL <-> filters ------------------------------------------------------------------

  function readUrl() {
    var p = new URLSearchParams(window.location.search);
    state.filters = {};
    FILTER_KEYS.forEach(function (k) { if (p.get(k)) state.filters[k] = p.get(k); });
    state.event = p.get("event");
    state.tab = p.get("tab") || "event";
    FILTER_KEYS.forEach(function (k) {
      var el = document.getElementById("f-" + k);
      if (el) el.value = state.filters[k] || "";
    });
  }

  function writeUrl() {
    var extra = {};
    if (state.event) extra.event = state.event;
    if (state.tab && state.tab !== "event") extra.tab = state.tab;
    var s = qs(extra);
    window.history.replaceState(null, "", window.location.pathname + (s ? "?" + s : ""));
  }

  // --- map --------------------------------------------------------------------------------

  function initMap(cfg) {
    map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 14 }).setView([20, 20], 2);
    if (cfg.tile_url) {
      L.tileLayer(cfg.tile_url, { attribution: cfg.tile_attribution || "", maxZoom: 18 }).addTo(map);
    }
    cluster = L.markerClusterGroup({ maxClusterRadius: 40, showCoverageOnHover: false, animate: false });
    map.addLayer(cluster);
    var legend = document.getElementById("legend");
    Object.keys(TYPE_COLOURS).forEach(function (t) {
      legend.appendChild(h("span", { style: "background:" + TYPE_COLOURS[t] }));
      legend.appendChild(document.createTextNode(t));
    });
    return api("/static/vendor/world-atlas/countries-110m.json").then(function (topo) {
      var geo = topojson.feature(topo, topo.objects.countries);
      L.geoJSON(geo, {
        style: { color: "#7a8a99", weight: 0.7, fillColor: "#fdfdf8", fillOpacity: 1 },
        interactive: false
      }).addTo(map);
      cluster.bringToFront && cluster.bringToFront();
    }).catch(function () { /* the outlines are optional */ });
  }

  function dotSize(f) { return Math.min(34, 10 + 4 * Math.sqrt(f || 0)); }

  function renderMarkers(data) {
    cluster.clearLayers();
    var bounds = [];
    data.points.forEach(function (p) {
      var s = dotSize(p.fatalities);
      var icon = L.divIcon({
        className: "ev-icon",
        iconSize: [s, s],
        html: '<span class="ev-dot" style="width:' + s + "px;height:" + s + "px;background:" + colour(p.event_type) + '"></span>'
      });
      var m = L.marker([p.latitude, p.longitude], { icon: icon, title: (p.sub_event_type || "") + " — " + (p.location || "") + " " + (p.event_date || ""), keyboard: true });
      m.eventId = p.id;
      m.on("click", function () { selectEvent(p.id); });
      cluster.addLayer(m);
      bounds.push([p.latitude, p.longitude]);
    });
    dashboard.markers = data.points.length;
    document.getElementById("map").setAttribute("data-markers", String(data.points.length));
    if (bounds.length && !state.fitted) {
      map.fitBounds(bounds, { padding: [30, 30], maxZoom: 6, animate: false });
      state.fitted = true;
    }
  }

  // --- timeline ----------------------------------------------------------------------------

  function renderTimeline(data) {
    var box = clear(document.getElementById("timeline"));
    document.getElementById("timeline-interval").textContent = "(events per " + data.interval + ")";
    var b = data.buckets;
    if (!b.length) { box.appendChild(h("p", { cls: "muted", text: "No dated events." })); return; }
    var NS = "http://www.w3.org/2000/svg";
    var W = 1000, H = 130, pad = 18;
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    svg.setAttribute("preserveAspectRatio", "none");
    var max = Math.max.apply(null, b.map(function (x) { return x.events; }));
    var bw = (W - 2 * pad) / b.length;
    b.forEach(function (x, i) {
      var y0 = H - pad;
      Object.keys(x.by_type).sort().forEach(function (t) {
        var hgt = (H - 2 * pad) * x.by_type[t] / max;
        var r = document.createElementNS(NS, "rect");
        r.setAttribute("class", "bar");
        r.setAttribute("x", pad + i * bw + 1);
        r.setAttribute("width", Math.max(1, bw - 2));
        r.setAttribute("y", y0 - hgt);
        r.setAttribute("height", hgt);
        r.setAttribute("fill", colour(t));
        r.setAttribute("data-date", x.date);
        r.style.cursor = "pointer";
        r.addEventListener("click", function () { zoomToBucket(x.date, data.interval); });
        var title = document.createElementNS(NS, "title");
        title.textContent = x.date + ": " + x.by_type[t] + " " + t + " (" + x.events + " events, " + x.fatalities + " fatalities)";
        r.appendChild(title);
        svg.appendChild(r);
        y0 -= hgt;
      });
    });
    [[0, b[0].date], [b.length - 1, b[b.length - 1].date]].forEach(function (a, k) {
      var t = document.createElementNS(NS, "text");
      t.setAttribute("x", k ? W - pad : pad);
      t.setAttribute("y", H - 3);
      t.setAttribute("text-anchor", k ? "end" : "start");
      t.setAttribute("font-size", "11");
      t.textContent = a[1];
      svg.appendChild(t);
    });
    box.appendChild(svg);
  }

  function zoomToBucket(day, interval) {
    // clicking a bar narrows the date filter to that day or month
    var d = new Date(day + "T00:00:00Z"), end = new Date(d);
    if (interval === "month") end.setUTCMonth(end.getUTCMonth() + 1, 0);
    else if (interval === "week") end.setUTCDate(end.getUTCDate() + 6);
    state.filters.since = day;
    state.filters.until = end.toISOString().slice(0, 10);
    document.getElementById("f-since").value = state.filters.since;
    document.getElementById("f-until").value = state.filters.until;
    state.event = null;
    document.body.removeAttribute("data-ready");
    refresh();
  }

  function pickInterval() {
    var s = state.filters.since, u = state.filters.until;
    if (s && u && (new Date(u) - new Date(s)) / 864e5 <= 120) return "day";
    return "month";
  }

  // --- event list and event panel ----------------------------------------------------------

  function renderEventList(data) {
    if (state.event) return;
    var panel = clear(document.getElementById("panel-event"));
    panel.appendChild(h("p", { cls: "muted", text: (data.has_more ? "The newest " + data.items.length + " event(s)" : data.items.length + " event(s), newest first") + ". Click one for its evidence." }));
    var ul = h("ul", { cls: "events", id: "event-list" });
    data.items.forEach(function (e) {
      ul.appendChild(h("li", { tabindex: "0", "data-id": e.id, onclick: function () { selectEvent(e.id); },
        onkeydown: function (ev) { if (ev.key === "Enter") selectEvent(e.id); } },
        h("span", { cls: "swatch", style: "background:" + colour(e.event_type) }),
        h("strong", { text: e.sub_event_type }), " — " + (e.location || e.country || "unlocated"),
        h("div", { cls: "muted", text: (e.event_date || "undated") + " · " + (e.fatalities_known ? e.fatalities + " killed" : "fatalities unknown") + " · " + e.n_sources + " source(s)" })));
    });
    panel.appendChild(ul);
  }

  function highlighted(body, spans) {
    // the article body with every evidence span wrapped in <mark>
    var div = h("div", { cls: "body" });
    var sorted = spans.slice().sort(function (a, b) { return a.start - b.start; });
    var pos = 0;
    sorted.forEach(function (sp) {
      if (sp.start < pos || sp.end > body.length) return;
      div.appendChild(document.createTextNode(body.slice(pos, sp.start)));
      div.appendChild(h("mark", { cls: "evidence", text: body.slice(sp.start, sp.end) }));
      pos = sp.end;
    });
    div.appendChild(document.createTextNode(body.slice(pos)));
    return div;
  }

  function fact(dt, dd) { return dd === null || dd === undefined || dd === "" ? [] : [h("dt", { text: dt }), h("dd", { text: String(dd) })]; }

  function selectEvent(id) {
    state.event = id;
    setTab("event");
    writeUrl();
    var panel = clear(document.getElementById("panel-event"));
    panel.appendChild(h("p", { cls: "muted", text: "Loading…" }));
    api("/api/events/" + encodeURIComponent(id)).then(function (ev) {
      clear(panel);
      panel.appendChild(h("button", { cls: "link", type: "button", onclick: backToList, text: "← all events" }));
      var facts = h("dl", { cls: "facts" });
      [].concat(
        fact("Date", ev.event_date), fact("Type", ev.event_type + " / " + ev.sub_event_type),
        fact("Actor 1", ev.actor1), fact("Actor 2", ev.actor2),
        fact("Place", [ev.location, ev.admin1, ev.country].filter(Boolean).join(", ")),
        fact("Fatalities", ev.fatalities_known ? ev.fatalities + (ev.fatalities_low !== null && ev.fatalities_high !== null && ev.fatalities_low !== ev.fatalities_high ? " (" + ev.fatalities_low + "–" + ev.fatalities_high + ")" : "") : "unknown"),
        fact("Injuries", ev.injuries), fact("Confidence", ev.confidence), fact("Mentions", ev.n_mentions + " in " + ev.n_sources + " source(s)"),
        fact("Event id", ev.id)
      ).forEach(function (x) { facts.appendChild(x); });
      panel.appendChild(h("div", { cls: "event-head", id: "event-detail", "data-id": ev.id },
        h("h3", {}, h("span", { cls: "swatch", style: "background:" + colour(ev.event_type) }), ev.sub_event_type + (ev.location ? " in " + ev.location : "")),
        h("p", { text: ev.notes }), facts));
      panel.appendChild(h("h4", { text: "Mentions and sources" }));
      var bySource = {};
      ev.mentions.forEach(function (m) { (bySource[m.source_id] = bySource[m.source_id] || []).push(m); });
      Object.keys(bySource).forEach(function (sid) {
        var ms = bySource[sid];
        var box = h("div", { cls: "article", "data-source": sid },
          h("h4", { text: (ms[0].title || sid) }),
          h("div", { cls: "muted" }, [ms[0].outlet || "", ms[0].published || "", ms[0].url ? h("a", { href: ms[0].url, rel: "noopener noreferrer", target: "_blank", text: "original" }) : null].filter(Boolean).map(function (x) { return typeof x === "string" ? x + " · " : x; })),
          h("ul", {}, ms.map(function (m) {
            return h("li", { cls: "muted", text: "Reported: " + m.sub_event_type + ", " + (m.event_date || "undated") + ", " + (m.location || "?") + ", " + (m.fatalities_known ? m.fatalities + " killed" : "fatalities unknown") + (m.match_detail && m.match_detail.reason ? " — " + m.match_detail.reason : "") });
          })));
        panel.appendChild(box);
        api("/api/articles/" + encodeURIComponent(sid)).then(function (art) {
          var spans = [];
          ms.forEach(function (m) { (m.evidence || []).forEach(function (e) { spans.push(e); }); });
          box.appendChild(highlighted(art.body || "", spans));
          var mark = box.querySelector("mark.evidence");
          if (mark && mark.scrollIntoView) mark.scrollIntoView({ block: "nearest" });
        }).catch(showError);
      });
    }).catch(function (err) {
      clear(panel).appendChild(h("p", { text: "Could not load event: " + err.message }));
    });
  }

  function backToList() {
    state.event = null;
    writeUrl();
    api("/api/events?" + qs({ limit: 100 })).then(renderEventList).catch(showError);
  }

  // --- quotes -------------------------------------------------------------------------------

  function renderQuotes(data) {
    var panel = clear(document.getElementById("panel-quotes"));
    panel.appendChild(h("p", { cls: "muted", text: data.total + " quote(s)" + (data.total > data.items.length ? ", showing " + data.items.length : "") }));
    ["oppose", "support", "neutral", null].forEach(function (stance) {
      var qsOf = data.items.filter(function (q) { return (q.stance || null) === stance; });
      if (!qsOf.length) return;
      var g = h("div", { cls: "quote-group", "data-stance": stance || "none" }, h("h3", { text: (stance || "no stance") + " (" + qsOf.length + ")" }));
      qsOf.forEach(function (q) {
        g.appendChild(h("blockquote", { cls: "quote " + (stance || "") },
          h("div", {}, h("span", { cls: "speaker", text: q.speaker || (q.anonymous ? "anonymous source" : "unattributed") }),
            q.speaker_role ? h("span", { cls: "muted", text: " " + q.speaker_role }) : null,
            h("span", { cls: "stance " + (stance || ""), text: stance || "–" })),
          h("div", { text: "“" + q.text + "”" }),
          h("div", { cls: "muted", text: (q.source_title || q.source_id) + (q.stance_target ? " · on " + q.stance_target : "") })));
      });
      panel.appendChild(g);
    });
  }

  // --- actor network -------------------------------------------------------------------------

  function renderNetwork(net, actors) {
    var panel = clear(document.getElementById("panel-network"));
    var NS = "http://www.w3.org/2000/svg";
    panel.appendChild(h("p", { cls: "muted", text: "Who acts on whom: an arrow runs from actor 1 to actor 2; its width is the number of events." }));
    var box = h("div", { id: "network" });
    panel.appendChild(box);
    var n = net.nodes.length;
    if (n) {
      var W = 640, H = 380, cx = W / 2, cy = H / 2, R = Math.min(W, H) / 2 - 30;
      var pos = {}, order = [], byId = {};
      net.nodes.forEach(function (nd) { byId[nd.id] = nd; });
      // neighbours next to each other on the circle: walk the edges, busiest first
      net.edges.forEach(function (e) {
        [e.source, e.target].forEach(function (x) { if (order.indexOf(x) < 0) order.push(x); });
      });
      order.map(function (x) { return byId[x]; }).forEach(function (nd, i) {
        var a = 2 * Math.PI * i / n - Math.PI / 2;
        pos[nd.id] = [cx + R * Math.cos(a), cy + R * Math.sin(a), a];
      });
      var svg = document.createElementNS(NS, "svg");
      svg.setAttribute("viewBox", "0 0 " + W + " " + H);
      var defs = document.createElementNS(NS, "defs");
      var marker = document.createElementNS(NS, "marker");
      [["id", "arrow"], ["viewBox", "0 0 10 10"], ["refX", "18"], ["refY", "5"], ["markerWidth", "8"], ["markerHeight", "8"], ["markerUnits", "userSpaceOnUse"], ["orient", "auto"]].forEach(function (a) { marker.setAttribute(a[0], a[1]); });
      var path = document.createElementNS(NS, "path");
      path.setAttribute("d", "M0,0 L10,5 L0,10 z");
      path.setAttribute("fill", "#667");
      marker.appendChild(path); defs.appendChild(marker); svg.appendChild(defs);
      var maxE = Math.max.apply(null, net.edges.map(function (e) { return e.events; }));
      net.edges.forEach(function (e) {
        var a = pos[e.source], b = pos[e.target];
        var l = document.createElementNS(NS, "line");
        l.setAttribute("x1", a[0]); l.setAttribute("y1", a[1]); l.setAttribute("x2", b[0]); l.setAttribute("y2", b[1]);
        l.setAttribute("stroke", "#667"); l.setAttribute("stroke-opacity", "0.7");
        l.setAttribute("stroke-width", 1 + 4 * e.events / maxE);
        l.setAttribute("marker-end", "url(#arrow)");
        var t = document.createElementNS(NS, "title");
        t.textContent = e.source + " → " + e.target + ": " + e.events + " event(s), " + e.fatalities + " fatalities";
        l.appendChild(t);
        svg.appendChild(l);
      });
      order.map(function (x) { return byId[x]; }).forEach(function (nd) {
        var p = pos[nd.id];
        var c = document.createElementNS(NS, "circle");
        c.setAttribute("cx", p[0]); c.setAttribute("cy", p[1]); c.setAttribute("r", 4 + Math.sqrt(nd.events) * 2);
        c.setAttribute("fill", INTER_COLOURS[nd.inter || 0] || "#999");
        c.setAttribute("class", "node");
        var t = document.createElementNS(NS, "title");
        t.textContent = nd.id + " (" + nd.events + " event(s))";
        c.appendChild(t);
        svg.appendChild(c);
        var label = document.createElementNS(NS, "text");
        var right = Math.cos(p[2]) >= 0;
        label.setAttribute("x", p[0] + (right ? 8 : -8)); label.setAttribute("y", p[1] + 3);
        label.setAttribute("text-anchor", right ? "start" : "end");
        label.textContent = nd.id.length > 24 ? nd.id.slice(0, 23) + "…" : nd.id;
        svg.appendChild(label);
      });
      box.appendChild(svg);
    } else {
      box.appendChild(h("p", { cls: "muted", text: "No events with two actors." }));
    }
    var table = h("table", { id: "actor-table" }, h("tr", {}, h("th", { text: "Actor" }), h("th", { text: "Events" }), h("th", { text: "Fatalities" })));
    actors.items.forEach(function (a) {
      table.appendChild(h("tr", {}, h("td", {}, h("button", { cls: "link", type: "button", text: a.name, onclick: function () { setFilter("actor", a.name); } })),
        h("td", { text: String(a.events) }), h("td", { text: String(a.fatalities) })));
    });
    panel.appendChild(table);
  }

  // --- tabs, filters, refresh -------------------------------------------------------------

  function setTab(name) {
    state.tab = name;
    document.querySelectorAll("#tabs button").forEach(function (b) {
      b.setAttribute("aria-selected", b.getAttribute("data-tab") === name ? "true" : "false");
    });
    ["event", "quotes", "network"].forEach(function (t) {
      document.getElementById("panel-" + t).hidden = t !== name;
    });
  }

  function setFilter(k, v) {
    state.filters[k] = v;
    var el = document.getElementById("f-" + k);
    if (el) el.value = v;
    state.event = null;
    refresh();
  }

  function refresh() {
    writeUrl();
    dashboard.ready = false;
    var f = qs();
    var sumEl = document.getElementById("summary");
    return Promise.all([
      api("/api/map?" + f).then(function (d) {
        renderMarkers(d);
        return d;
      }),
      api("/api/stats?" + f),
      api("/api/timeline?" + qs({ interval: pickInterval() })).then(renderTimeline),
      api("/api/events?" + qs({ limit: 100 })).then(renderEventList),
      api("/api/quotes?" + new URLSearchParams(Object.assign({ limit: "200" }, state.filters.q ? { q: state.filters.q } : {})).toString()).then(renderQuotes),
      Promise.all([api("/api/network?" + f), api("/api/actors?" + qs({ limit: 50 }))]).then(function (r) { renderNetwork(r[0], r[1]); })
    ]).then(function (r) {
      var st = r[1], mp = r[0];
      sumEl.textContent = st.events + " event(s), " + st.fatalities + " fatalities, " + st.articles + " article(s)" +
        (st.first_date ? " · " + st.first_date + " to " + st.last_date : "") +
        " · " + mp.points.length + " on the map" + (mp.truncated ? " (the newest; narrow the filters to see all)" : "");
      dashboard.ready = true;
      document.body.setAttribute("data-ready", "1");
    }).catch(showError);
  }

  function populateFacets(f) {
    var c = document.getElementById("f-country"), t = document.getElementById("f-type");
    f.countries.forEach(function (x) { c.appendChild(h("option", { value: x, text: x })); });
    Object.keys(TYPE_COLOURS).forEach(function (x) { t.appendChild(h("option", { value: x, text: x })); });
    c.value = state.filters.country || "";
    t.value = state.filters.type || "";
  }

  function init() {
    readUrl();
    setTab(state.tab);
    document.querySelectorAll("#tabs button").forEach(function (b) {
      b.addEventListener("click", function () { setTab(b.getAttribute("data-tab")); writeUrl(); });
    });
    document.getElementById("filters").addEventListener("submit", function (ev) {
      ev.preventDefault();
      FILTER_KEYS.forEach(function (k) { state.filters[k] = document.getElementById("f-" + k).value.trim(); });
      state.event = null;
      document.body.removeAttribute("data-ready");
      refresh();
    });
    ["f-country", "f-type"].forEach(function (id) {
      document.getElementById(id).addEventListener("change", function () {
        document.getElementById("filters").requestSubmit();
      });
    });
    document.getElementById("f-reset").addEventListener("click", function () {
      state.filters = {};
      FILTER_KEYS.forEach(function (k) { document.getElementById("f-" + k).value = ""; });
      state.event = null;
      document.body.removeAttribute("data-ready");
      refresh();
    });
    api("/api/config").then(function (cfg) {
      return Promise.all([initMap(cfg), api("/api/facets").then(populateFacets)]);
    }).then(function () {
      var ev = state.event;
      return refresh().then(function () { if (ev) selectEvent(ev); });
    }).catch(showError);
  }

  document.addEventListener("DOMContentLoaded", init);
})();
