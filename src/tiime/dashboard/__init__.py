"""``tiime dashboard``: a local web page of the books, served on 127.0.0.1.

The overview (treasury, unpaid invoices with days late, pending quotations, transactions to
impute, twelve months of inflows and outflows, revenue by month) and the yearly review
(revenue, best and worst months, top clients and expenses) of one company or all, counted
over every page of the SDK's listings, amounts exact.

Layout: :mod:`.figures` (the computations, pure) and :mod:`.models` (the answers),
:mod:`.data` (what is asked of the API, through the SDK's async client), :mod:`.app` (the
routes), :mod:`.guard` (Host check, access token, security headers), :mod:`.server`
(socket and uvicorn), :mod:`.texts` (every text shown), ``static/`` (the pages, their
script and style, and the vendored Chart.js). Needs the ``dashboard`` extra (Starlette,
uvicorn).
"""
