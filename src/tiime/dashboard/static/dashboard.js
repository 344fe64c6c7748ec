// The dashboard's pages: the overview ("/") and the yearly review ("/wrapped").
// Reads the JSON routes of the server (same origin, its cookie), draws with Chart.js.
// Every text comes from /api/config (tiime/dashboard/texts.py), in the dashboard's language,
// with the locale the numbers, amounts and dates are written in (the browser's Intl formats
// them; the JSON routes give numbers and ISO dates). No inline script anywhere.
"use strict";

(function () {
  const page = document.body.dataset.page;
  const content = document.getElementById("content");
  const errorLine = document.getElementById("error");
  const companySelect = document.getElementById("company");
  const yearSelect = document.getElementById("year");
  const charts = [];
  let T = {};
  let companies = [];
  let locale = "en-GB"; // the BCP 47 locale of the texts (config.locale)
  let isoDates = true; // dates as the API gives them (2026-01-31), else the locale's (31/01/2026)

  // -- helpers ---------------------------------------------------------------------------------

  async function api(path) {
    const answer = await fetch(path, { headers: { Accept: "application/json" } });
    let body = null;
    try {
      body = await answer.json();
    } catch (e) {
      body = null;
    }
    if (!answer.ok) {
      throw new Error(body && body.error ? body.error : "HTTP " + answer.status);
    }
    return body;
  }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined) continue;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else node.setAttribute(key, value);
    }
    for (const child of children || []) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  const moneyFormats = {};
  function money(value, currency) {
    if (value === null || value === undefined) return T.none;
    const code = currency || "EUR";
    if (!moneyFormats[code]) {
      try {
        moneyFormats[code] = new Intl.NumberFormat(locale, { style: "currency", currency: code });
      } catch (e) {
        moneyFormats[code] = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      }
    }
    return moneyFormats[code].format(value);
  }

  let monthFormat = null;
  function monthName(month) {
    const [year, number] = month.split("-").map(Number);
    monthFormat = monthFormat || new Intl.DateTimeFormat(locale, { month: "short", year: "numeric", timeZone: "UTC" });
    return monthFormat.format(new Date(Date.UTC(year, number - 1, 1)));
  }

  // A date of the JSON routes (YYYY-MM-DD), as the language writes it.
  let dayFormat = null;
  function day(iso) {
    if (!iso) return "";
    const parts = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
    if (isoDates || !parts) return iso;
    dayFormat = dayFormat || new Intl.DateTimeFormat(locale, { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" });
    return dayFormat.format(new Date(Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3]))));
  }

  let countFormat = null;
  function number(n) {
    countFormat = countFormat || new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    return countFormat.format(n);
  }

  // "1 invoice", "12 invoices": the catalogue's two forms, {n} replaced, chosen by the
  // language's plural rule (French writes 0 and 1 in the singular).
  let plurals = null;
  function count(n, one, many) {
    plurals = plurals || new Intl.PluralRules(locale);
    return (plurals.select(n) === "one" ? one : many).replace("{n}", number(n));
  }

  function showError(message) {
    errorLine.textContent = message;
    errorLine.hidden = false;
    document.body.dataset.state = "error";
  }

  function card(label, value, figure, sub) {
    return el("div", { className: "card" }, [
      el("div", { className: "label", text: label }),
      el("div", { className: "value", text: value, "data-figure": figure }),
      sub ? el("div", { className: "sub", text: sub }) : null,
    ]);
  }

  // A column: {label, value(row), num (right-aligned), cls (both cells), className(row)}.
  function table(columns, rows, figure) {
    const classes = (...names) => names.filter(Boolean).join(" ") || null;
    const head = el("tr", {}, columns.map((c) => el("th", { text: c.label, className: classes(c.num && "num", c.cls) })));
    const body = rows.map((row) =>
      el("tr", {}, columns.map((c) => el("td", { text: c.value(row), className: classes(c.className ? c.className(row) : c.num && "num", c.cls) })))
    );
    return el("div", { className: "scroll" }, [el("table", { "data-table": figure }, [el("thead", {}, [head]), el("tbody", {}, body)])]);
  }

  function panel(title, children, wide) {
    return el("div", { className: wide ? "panel wide" : "panel" }, [el("h3", { text: title }), ...children]);
  }

  function barChart(name, labels, datasets, horizontal) {
    if (!labels.length) return el("p", { className: "empty", text: T.none, "data-chart-empty": name });
    const described = datasets.map((d) => d.label + ": " + labels.map((l, i) => l + " " + d.data[i]).join(", "));
    const canvas = el("canvas", { "data-chart": name, role: "img", "aria-label": described.join("; ") });
    const box = el("div", { className: "chart" }, [canvas]);
    charts.push({ canvas, labels, datasets, horizontal });
    return box;
  }

  function drawCharts() {
    const Chart = window.Chart;
    for (const spec of charts.splice(0)) {
      new Chart(spec.canvas, {
        type: "bar",
        data: { labels: spec.labels, datasets: spec.datasets },
        options: {
          indexAxis: spec.horizontal ? "y" : "x",
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          locale: locale,
          plugins: { legend: { display: spec.datasets.length > 1 } },
        },
      });
    }
  }

  function clearCharts() {
    for (const canvas of content.querySelectorAll("canvas")) {
      const chart = window.Chart.getChart(canvas);
      if (chart) chart.destroy();
    }
  }

  const IN = "#1f9d6b";
  const OUT = "#d9534f";
  const ACCENT = "#2f6fde";

  function flowsChart(monthly) {
    return barChart(
      "flows",
      monthly.map((m) => monthName(m.month)),
      [
        { label: T.inflows, data: monthly.map((m) => m.inflows), backgroundColor: IN },
        { label: T.outflows, data: monthly.map((m) => m.outflows), backgroundColor: OUT },
      ],
      false
    );
  }

  // -- selection (kept in the address: ?company=ID|all&year=YYYY|all) ---------------------------

  function setParam(name, value) {
    const params = new URLSearchParams(location.search);
    params.set(name, value);
    history.replaceState(null, "", location.pathname + "?" + params.toString());
  }

  function fillCompanies(initial) {
    companySelect.replaceChildren(
      el("option", { value: "all", text: T.all_companies }),
      ...companies.map((c) => el("option", { value: String(c.id), text: c.name || String(c.id) }))
    );
    const known = ["all", ...companies.map((c) => String(c.id))];
    companySelect.value = known.includes(initial) ? initial : companies.length ? String(companies[0].id) : "all";
  }

  // -- the overview ----------------------------------------------------------------------------

  function overviewSection(company, o) {
    const g = o.global;
    const accounts = o.treasury.accounts;
    const unpaidShown = o.invoices.unpaid.slice(0, 50);
    const section = el("section", { className: "company", "data-company-id": String(company.id) }, [
      el("h2", { text: company.name || String(company.id) }),
      el("div", { className: "cards" }, [
        card(T.total_balance, money(o.treasury.total_balance), "total_balance"),
        card(T.unpaid_invoices, money(o.invoices.unpaid_total), "unpaid_total", count(o.invoices.unpaid_count, T.n_invoice, T.n_invoices)),
        card(T.pending_quotations, number(o.quotations.pending_count), "pending_count", money(o.quotations.pending_total)),
        card(T.unimputed, number(o.bank.unimputed_count), "unimputed_count"),
        card(T.revenue_ttc, money(g.total_revenue_ttc), "total_revenue_ttc", T.revenue_ht + " " + money(g.total_revenue_ht)),
        card(T.net_cashflow, money(g.net_cashflow), "net_cashflow", T.inflows + " " + money(g.total_inflows) + " · " + T.outflows + " " + money(g.total_outflows)),
        card(T.drafts, number(o.invoices.drafts), "drafts"),
        card(T.clients, number(o.clients.total), "clients_total"),
      ]),
      el("div", { className: "grid2" }, [
        panel(T.treasury, [
          accounts.length
            ? table(
                [
                  { label: T.account, value: (a) => a.name || "" },
                  { label: T.bank, value: (a) => a.bank || "", cls: "wide-only" },
                  { label: T.balance, value: (a) => money(a.balance, a.currency), num: true },
                  { label: T.balance_date, value: (a) => day(a.balance_date), cls: "nowrap" },
                ],
                accounts,
                "accounts"
              )
            : el("p", { className: "empty", text: T.no_accounts }),
        ], true),
        panel(T.unpaid_invoices + " (" + number(o.invoices.unpaid_count) + ")", [
          unpaidShown.length
            ? table(
                [
                  { label: T.number, value: (u) => u.number || "#" + u.id, cls: "nowrap" },
                  { label: T.client, value: (u) => u.client || "" },
                  { label: T.amount, value: (u) => money(u.amount), num: true },
                  { label: T.due_date, value: (u) => day(u.due_date), cls: "nowrap wide-only" },
                  {
                    label: T.days_late,
                    num: true,
                    value: (u) => (u.days_late > 0 ? number(u.days_late) : T.on_time),
                    className: (u) => (u.days_late > 0 ? "num late" : "num"),
                  },
                ],
                unpaidShown,
                "unpaid"
              )
            : el("p", { className: "empty", text: T.no_unpaid }),
          o.invoices.unpaid.length > unpaidShown.length
            ? el("p", { className: "more", text: "+ " + number(o.invoices.unpaid.length - unpaidShown.length) })
            : null,
        ], true),
        panel(T.monthly_flows, [flowsChart(g.monthly)]),
        panel(T.monthly_revenue, [
          barChart(
            "revenue",
            g.monthly_revenue.map((m) => monthName(m.month)),
            [{ label: T.revenue_ttc, data: g.monthly_revenue.map((m) => m.revenue_ttc), backgroundColor: ACCENT }],
            false
          ),
        ]),
      ]),
    ]);
    return section;
  }

  async function showOverview() {
    const choice = companySelect.value;
    const chosen = choice === "all" ? companies : companies.filter((c) => String(c.id) === choice);
    const overviews = await Promise.all(chosen.map((c) => api("/api/company/" + c.id + "/overview")));
    clearCharts();
    content.replaceChildren(...chosen.map((c, i) => overviewSection(c, overviews[i])));
  }

  // -- the yearly review -----------------------------------------------------------------------

  function monthText(m) {
    return m ? monthName(m.month) : T.none;
  }

  function ratioText(ratio) {
    if (ratio === -1) return "∞";
    return new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Number(ratio));
  }

  function reviewSection(review, year) {
    const s = year === "all" ? review.all_time : review.years[year];
    const info = review.company;
    const heading = el("h2", { text: info.name }, [
      " ",
      el("small", {
        text:
          (info.registration_date ? T.since + " " + day(info.registration_date) + " · " : "") +
          T.years_active + " " + number(info.years_active),
      }),
    ]);
    if (!s) {
      return el("section", { className: "company" }, [heading, el("p", { className: "empty", text: T.no_data })]);
    }
    const big = s.biggest_invoice;
    const named = (rows, figure, what) =>
      rows.length
        ? table(
            [
              { label: what, value: (r) => r.name },
              { label: T.amount, value: (r) => money(r.amount), num: true },
            ],
            rows,
            figure
          )
        : el("p", { className: "empty", text: T.none });
    return el("section", { className: "company", "data-year": year }, [
      heading,
      el("div", { className: "cards" }, [
        card(T.revenue_ttc, money(s.revenue_ttc), "revenue_ttc", T.revenue_ht + " " + money(s.revenue_ht)),
        card(T.invoices_count, number(s.invoices_count), "invoices_count", T.avg_invoice + " " + money(s.avg_invoice)),
        card(T.biggest_invoice, big ? money(big.amount) : T.none, "biggest_invoice", big ? (big.client_name || "") + " · " + (big.number || "") : null),
        card(T.best_month, monthText(s.best_month), "best_month", s.best_month ? T.net + " " + money(s.best_month.net) : null),
        card(T.worst_month, monthText(s.worst_month), "worst_month", s.worst_month ? T.net + " " + money(s.worst_month.net) : null),
        card(T.inflows, money(s.total_inflows), "total_inflows"),
        card(T.outflows, money(s.total_outflows), "total_outflows"),
        card(T.ratio, ratioText(s.inflow_outflow_ratio), "ratio"),
        card(T.transactions_count, number(s.transactions_count), "transactions_count"),
      ]),
      el("div", { className: "grid2" }, [
        panel(T.top_clients, [
          barChart("clients", s.top_clients.map((c) => c.name), [{ label: T.revenue_ttc, data: s.top_clients.map((c) => c.amount), backgroundColor: ACCENT }], true),
          named(s.top_clients, "top_clients", T.client),
        ]),
        panel(T.top_expenses, [
          barChart("expenses", s.top_expenses.map((c) => c.name), [{ label: T.outflows, data: s.top_expenses.map((c) => c.amount), backgroundColor: OUT }], true),
          named(s.top_expenses, "top_expenses", T.expense),
        ]),
        panel(T.monthly_flows, [flowsChart(s.monthly)]),
      ]),
    ]);
  }

  let review = null;

  function fillYears(initial) {
    const years = review.available_years.map(String);
    yearSelect.replaceChildren(
      el("option", { value: "all", text: T.all_time }),
      ...years.map((y) => el("option", { value: y, text: y }))
    );
    yearSelect.value = initial === "all" || years.includes(initial) ? initial : years.length ? years[0] : "all";
  }

  function drawReview() {
    clearCharts();
    content.replaceChildren(reviewSection(review, yearSelect.value));
  }

  async function showReview(keepYear) {
    const choice = companySelect.value;
    review = await api(choice === "all" ? "/api/wrapped" : "/api/company/" + choice + "/wrapped");
    fillYears(keepYear || new URLSearchParams(location.search).get("year") || "");
    drawReview();
  }

  // -- wiring ----------------------------------------------------------------------------------

  async function load(work) {
    document.body.dataset.state = "loading";
    content.setAttribute("aria-busy", "true");
    errorLine.hidden = true;
    try {
      await work();
      drawCharts();
      document.body.dataset.state = "ready";
      performance.mark("dashboard-ready"); // figures and charts shown (the benchmark reads it)
    } catch (e) {
      showError(e.message);
    } finally {
      content.removeAttribute("aria-busy");
    }
  }

  function show() {
    return page === "review" ? showReview(yearSelect.value) : showOverview();
  }

  function applyTexts() {
    document.title = T.title;
    document.getElementById("title").textContent = T.title;
    document.getElementById("nav-overview").textContent = T.overview;
    document.getElementById("nav-review").textContent = T.review;
    document.getElementById("company-label").textContent = T.company;
    document.getElementById("refresh").textContent = T.refresh;
    if (yearSelect) document.getElementById("year-label").textContent = T.year;
  }

  async function start() {
    const config = await api("/api/config");
    T = config.texts;
    locale = config.locale || locale;
    isoDates = config.dates !== "locale";
    document.documentElement.lang = config.lang || "en";
    applyTexts();
    companies = await api("/api/companies");
    const asked = new URLSearchParams(location.search).get("company");
    fillCompanies(asked || (config.default_company === null ? "" : String(config.default_company)));
    // The pages link to each other with the selection kept.
    for (const link of document.querySelectorAll("nav a")) {
      link.addEventListener("click", (event) => {
        event.preventDefault();
        location.href = link.getAttribute("href") + "?company=" + encodeURIComponent(companySelect.value);
      });
    }
    await (page === "review" ? showReview(null) : showOverview());
  }

  companySelect.addEventListener("change", () => {
    setParam("company", companySelect.value);
    load(() => (page === "review" ? showReview(null) : showOverview()));
  });
  if (yearSelect) {
    yearSelect.addEventListener("change", () => {
      setParam("year", yearSelect.value);
      load(async () => drawReview());
    });
  }
  document.getElementById("refresh").addEventListener("click", () => load(show));
  load(start);
})();
